/**
 * Why this page's images were not described, told once: a reason several images share (the model
 * could not be loaded, say) appears here a single time with how many images it stopped, next to
 * "Retry failed images"; reasons particular to one image stay on that image's row.
 */
import { t, tCount } from '@/lib/i18n';
import type { FailureGroups } from '@/lib/page/report';

export function FailureSummary({ failures, engineFailed, onRetry }: { failures: FailureGroups; engineFailed: boolean; onRetry: () => void }) {
  if (failures.failedCount === 0 && !engineFailed) return null;
  return (
    <div class="failures" data-testid="failure-summary">
      {failures.shared.map((s) => (
        <p key={s.headline} data-testid="shared-failure">
          <strong class="error">{notDescribed(s.count)}</strong> {s.headline}
          {s.detail && <span class="detail"> {s.detail}</span>}
        </p>
      ))}
      {failures.shared.length === 0 && failures.failedCount > 0 && <p>{notDescribed(failures.failedCount)}</p>}
      <button type="button" onClick={onRetry}>
        {t('failuresRetry')}
      </button>
    </div>
  );
}

function notDescribed(n: number): string {
  return tCount(n, { one: 'failuresNotDescribedOne', other: 'failuresNotDescribedOther' }, n);
}
