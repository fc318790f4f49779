import { describe, expect, it } from 'vitest';
import type { Backend } from '@/lib/engine/backend';
import { GpuFallback } from '@/lib/engine/gpu-fallback';

function recordingLoader(failLoadOn: Backend[] = []) {
  const loads: Backend[] = [];
  const load = async (backend: Backend) => {
    loads.push(backend);
    if (failLoadOn.includes(backend)) throw new Error(`no ${backend}`);
    return { backend };
  };
  return { loads, load };
}

describe('GpuFallback', () => {
  it('loads once per backend and reuses the models', async () => {
    const { loads, load } = recordingLoader();
    const models = new GpuFallback(load);
    expect(await models.run('webgpu', async (m, b) => `${m.backend}/${b}`)).toBe('webgpu/webgpu');
    expect(await models.run('webgpu', async (m) => m.backend)).toBe('webgpu');
    expect(loads).toEqual(['webgpu']);
  });

  it('reloads when the wanted backend changes, releasing the models it replaces', async () => {
    const { loads, load } = recordingLoader();
    const released: Backend[] = [];
    const models = new GpuFallback(load, async (m) => void released.push(m.backend));
    await models.run('wasm', async () => 0);
    await models.run('webgpu', async () => 0);
    expect(loads).toEqual(['wasm', 'webgpu']);
    await expect.poll(() => released).toEqual(['wasm']);
  });

  it('falls back to WASM when WebGPU cannot load the models, and stays there', async () => {
    const { loads, load } = recordingLoader(['webgpu']);
    const models = new GpuFallback(load);
    expect(await models.run('webgpu', async (_m, b) => b)).toBe('wasm');
    expect(models.backendFor('webgpu')).toBe('wasm');
    expect(await models.run('webgpu', async (_m, b) => b)).toBe('wasm');
    expect(loads).toEqual(['webgpu', 'wasm']);
  });

  it('retries the work on WASM when it fails on WebGPU', async () => {
    const { load } = recordingLoader();
    const models = new GpuFallback(load);
    const tried: Backend[] = [];
    const result = await models.run('webgpu', async (m, b) => {
      tried.push(b);
      if (b === 'webgpu') throw new Error('device lost');
      return m.backend;
    });
    expect(result).toBe('wasm');
    expect(tried).toEqual(['webgpu', 'wasm']);
  });

  it('passes a WASM failure on to the caller and tries loading again next time', async () => {
    let attempts = 0;
    const models = new GpuFallback(async () => {
      if (++attempts === 1) throw new Error('fetch failed');
      return 'models';
    });
    await expect(models.run('wasm', async (m) => m)).rejects.toThrow('fetch failed');
    expect(await models.run('wasm', async (m) => m)).toBe('models');
  });

  it('does not hide a failure that WASM has too, nor blame the GPU for it', async () => {
    const models = new GpuFallback(async (b) => b);
    await expect(
      models.run('webgpu', async () => {
        throw new Error('bad input');
      }),
    ).rejects.toThrow('bad input');
    expect(models.backendFor('webgpu')).toBe('webgpu');
  });

  it('does not blame the GPU for a download that fails everywhere', async () => {
    let online = false;
    const { loads, load } = recordingLoader();
    const models = new GpuFallback(async (b: Backend) => {
      if (!online) throw new Error('offline');
      return load(b);
    });
    await expect(models.run('webgpu', async (m) => m)).rejects.toThrow('offline');
    online = true;
    expect(await models.run('webgpu', async (_m, b) => b)).toBe('webgpu');
    expect(loads).toEqual(['webgpu']);
  });

  it('frees its models on close, and loads again after', async () => {
    const { loads, load } = recordingLoader();
    const released: Backend[] = [];
    const models = new GpuFallback(load, async (m) => void released.push(m.backend));
    await models.run('wasm', async () => 0);
    await models.close();
    expect(released).toEqual(['wasm']);
    await models.run('wasm', async () => 0);
    expect(loads).toEqual(['wasm', 'wasm']);
  });
});
