/**
 * Every image the page's content script reports (auto-fill's, and those the reader asked about in the
 * panel, marked by `source`): a thumbnail,
 * a short name, and its caption with Copy, or why it was not described. A reason many images share is
 * told once above the list (FailureSummary), so here those images only say "Not described". The list
 * is one scroll container the keyboard can reach and scroll.
 */
import { t } from '@/lib/i18n';
import type { PageImageReport } from '@/lib/messages';
import { reasonOf, shortImageName, type FailureGroups } from '@/lib/page/report';
import { ImageThumbnail } from './ImageThumbnail';

export function ImageList({
  images,
  failures,
  onCopy,
  onAsk,
}: {
  images: PageImageReport[];
  failures: FailureGroups;
  onCopy: (text: string) => void;
  /** "Ask" about this image: the page's panel opens on it. */
  onAsk?: (image: PageImageReport) => void;
}) {
  if (images.length === 0) return <p class="muted">{t('imagesNoneYet')}</p>;
  return (
    // Focusable so keyboard users can scroll it with the arrow and page keys, even when no row has a button.
    <div class="image-scroll" role="region" aria-label={t('imagesListLabel')} tabIndex={0} data-testid="image-list">
      <ul class="images">
        {images.map((img, i) => (
          <li key={`${i}:${img.imageUrl.length}:${img.imageUrl.slice(0, 200)}`}>
            <ImageThumbnail imageUrl={img.imageUrl} />
            <div class="image-text">
              <span class="name">
                <span data-testid="image-name">{shortImageName(img.imageUrl)}</span>
                {img.source === 'panel-caption' && ` · ${t('imagesAskedInPanel')}`}
                {img.source === 'panel-read-text' && ` · ${t('imagesReadInPanel')}`}
              </span>
              <ImageState image={img} shared={failures.isShared(img)} />
            </div>
            {img.state === 'captioned' && img.caption && (
              <button type="button" onClick={() => onCopy(img.caption!)} aria-label={t('imagesCopyCaption', img.caption)}>
                {t('copy')}
              </button>
            )}
            {onAsk && /^https?:/i.test(img.imageUrl) && (
              <button type="button" onClick={() => onAsk(img)} aria-label={t('imagesAskAbout', shortImageName(img.imageUrl))}>
                {t('askSubmit')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ImageState({ image, shared }: { image: PageImageReport; shared: boolean }) {
  if (image.state === 'captioned') return <span class="caption">{image.caption}</span>;
  if (image.state === 'pending') return <span class="muted">{t('describing')}</span>;
  if (shared) return <span class="muted" data-testid="image-not-described">{t('imagesNotDescribed')}</span>;
  return (
    <span class="error" data-testid="image-not-described">
      {t('imagesNotDescribedBecause', reasonOf(image))}
    </span>
  );
}
