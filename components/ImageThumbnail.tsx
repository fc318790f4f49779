/**
 * A small picture of an image in the popup's list, drawn only where it costs no request: a data: image
 * is shown scaled from its own URL; any other image (http(s), blob:) gets a generic picture icon, since
 * the popup must never fetch page images itself (see thumbnailSrc in lib/page/report.ts).
 */
import { thumbnailSrc } from '@/lib/page/report';

export function ImageThumbnail({ imageUrl }: { imageUrl: string }) {
  const src = thumbnailSrc(imageUrl);
  return (
    <span class="thumb" aria-hidden="true">
      {src ? (
        // Decorative: the row names the image in text right next to it.
        <img src={src} alt="" width={32} height={32} decoding="async" data-testid="image-thumbnail" />
      ) : (
        <svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linejoin="round" data-testid="image-placeholder">
          <rect x="3" y="4" width="18" height="16" rx="2" />
          <circle cx="9" cy="9.5" r="1.8" />
          <path d="M4 18l5.5-5.5 4 4 2.5-2.5L20 18" />
        </svg>
      )}
    </span>
  );
}
