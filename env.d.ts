interface ImportMetaEnv {
  /** True in test builds (`npm run build:test`): test hooks exist only there. */
  readonly ALTSIGHT_TEST: boolean;
  /** Benchmark builds only: 'jspi' or 'asyncify' instead of the browser's default ORT build ('' otherwise). */
  readonly ALTSIGHT_ORT_BUILD: string;
  /** Test builds: sha256 pins of the fixture model (lib/models.ts ModelPin), by model id; `{}` elsewhere. */
  readonly ALTSIGHT_TEST_MODEL_PINS: Record<string, import('./lib/models').ModelPin>;
}
