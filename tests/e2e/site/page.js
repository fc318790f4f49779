// Behaviour of a real site: lazy loaders, late images, changing sources, shadow DOM, data/blob URLs.
const other = new URLSearchParams(location.search).get('other');
for (const img of document.querySelectorAll('[data-other-src]')) img.src = other + img.dataset.otherSrc;

// A script-driven lazy loader swaps data-src into src a little later.
setTimeout(() => {
  for (const img of document.querySelectorAll('img[data-src]')) img.src = img.dataset.src;
}, 400);

// An image inserted after load.
setTimeout(() => {
  const img = document.createElement('img');
  img.dataset.case = 'added-later';
  img.dataset.expect = 'caption:a yellow circle';
  img.src = '/images/yellow-circle.webp?added';
  document.getElementById('added-later').append(img);
}, 800);

// A captioned image whose picture changes: its alt must follow.
const changing = document.querySelector('[data-case="src-changes"]');
window.changeImage = () => { changing.src = '/images/blue-square.jpg?changed'; };

// An image in an open shadow root.
customElements.define('shadow-host', class extends HTMLElement {
  connectedCallback() {
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = '<img data-case="in-shadow" data-expect="caption:a blue square" style="width:120px;height:120px" src="/images/blue-square.jpg?shadow">';
  }
});

// data: and blob: images, which only the page can read.
async function loadLocal() {
  const png = await (await fetch('/images/red-circle.png')).blob();
  document.getElementById('data-url-img').src = await new Promise((r) => {
    const reader = new FileReader();
    reader.onload = () => r(reader.result);
    reader.readAsDataURL(png);
  });
  const jpg = await (await fetch('/images/blue-square.jpg?blob')).blob();
  document.getElementById('blob-url-img').src = URL.createObjectURL(jpg);
}
loadLocal();
