/** Every image the page's content script looked at, with its caption (and Copy) or why it failed. */
import type { PageImageReport } from '@/lib/messages';

export function ImageList({ images, onCopy }: { images: PageImageReport[]; onCopy: (text: string) => void }) {
  if (images.length === 0) return <p class="muted">No images described on this page yet.</p>;
  return (
    <ul class="images" aria-label="Images on this page" data-testid="image-list">
      {images.map((img, i) => (
        <li key={`${img.imageUrl}#${i}`}>
          <span class={img.state === 'failed' ? 'error' : ''}>
            {img.state === 'captioned' ? img.caption : img.state === 'failed' ? `Failed: ${img.reason}` : 'Describing…'}
          </span>
          {img.state === 'captioned' && img.caption && (
            <button type="button" onClick={() => onCopy(img.caption!)} aria-label={`Copy “${img.caption}”`}>
              Copy
            </button>
          )}
          <span class="url" title={img.imageUrl}>
            {img.imageUrl}
          </span>
        </li>
      ))}
    </ul>
  );
}
