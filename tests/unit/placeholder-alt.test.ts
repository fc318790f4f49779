import { describe, expect, it } from 'vitest';
import { isPlaceholderAlt } from '../../lib/page/placeholder-alt';

interface Case {
  name: string;
  alt: string;
  imageUrl?: string;
}

const placeholders: Case[] = [
  // file names
  { name: 'phone camera file name', alt: 'IMG_1234.jpg' },
  { name: 'upper-case extension', alt: 'DSC00012.JPG' },
  { name: 'plain word with extension', alt: 'photo.png' },
  { name: 'versioned export', alt: 'banner-final-v2.webp' },
  { name: 'macOS screenshot name', alt: 'screenshot 2024-01-02 at 10.11.12.png' },
  { name: 'svg file', alt: 'logo.svg' },
  { name: 'file name with query string', alt: 'hero.jpg?v=3' },
  { name: 'file name in quotes', alt: '"cat.gif"' },
  { name: 'file name followed by a full stop', alt: 'IMG_1234.jpg.' },
  { name: 'avif file', alt: 'Product Shot.AVIF' },
  // URLs and paths
  { name: 'https URL', alt: 'https://example.com/images/cat.jpg' },
  { name: 'protocol-relative URL', alt: '//cdn.example.com/a/b' },
  { name: 'www address', alt: 'www.example.com/banner' },
  { name: 'data URL', alt: 'data:image/png;base64,iVBORw0KGgo=' },
  { name: 'blob URL', alt: 'blob:https://example.com/550e8400-e29b-41d4-a716-446655440000' },
  { name: 'absolute path', alt: '/static/hero' },
  { name: 'relative path', alt: './assets/header' },
  { name: 'parent path', alt: '../img/x' },
  { name: 'Windows path', alt: 'C:\\Users\\me\\Pictures\\holiday' },
  // the image's own file name
  { name: 'own file name with extension', alt: 'hero-2x.php', imageUrl: 'https://example.com/img/hero-2x.php?w=800' },
  { name: 'own file name without extension', alt: 'team-offsite-2023', imageUrl: 'https://example.com/u/team-offsite-2023.jpg' },
  { name: 'own file name, %-decoded', alt: 'summer sale_v3', imageUrl: 'https://example.com/summer%20sale_v3.png' },
  { name: 'own extensionless name', alt: 'a7_hero', imageUrl: 'https://cdn.example.com/i/a7_hero' },
  { name: 'own file name ignores case', alt: 'Header_Main', imageUrl: 'https://example.com/header_main.webp#top' },
  // generic and placeholder words
  { name: 'image', alt: 'image' },
  { name: 'Image with capital and full stop', alt: 'Image.' },
  { name: 'img', alt: 'img' },
  { name: 'photo', alt: 'Photo' },
  { name: 'picture', alt: 'PICTURE' },
  { name: 'pic', alt: 'pic' },
  { name: 'graphic', alt: 'graphic' },
  { name: 'icon alone', alt: 'icon' },
  { name: 'thumbnail', alt: 'thumbnail' },
  { name: 'a photo', alt: 'a photo' },
  { name: 'image with number', alt: 'image 1' },
  { name: 'image with number run together', alt: 'image1' },
  { name: 'carousel position', alt: 'Image 1 of 5' },
  { name: 'figure number', alt: 'Figure 3' },
  { name: 'untitled', alt: 'untitled' },
  { name: 'Untitled design export', alt: 'Untitled-1' },
  { name: 'placeholder', alt: 'Placeholder' },
  { name: 'alt', alt: 'alt' },
  { name: 'alt text', alt: 'alt text' },
  { name: 'null', alt: 'null' },
  { name: 'undefined', alt: 'undefined' },
  { name: 'todo', alt: 'TODO' },
  { name: 'none', alt: 'none' },
  { name: 'bracketed placeholder', alt: '[image]' },
  { name: 'stringified object', alt: '[object Object]' },
  { name: 'n/a', alt: 'N/A' },
  { name: 'lorem ipsum', alt: 'Lorem ipsum' },
  { name: 'punctuation only', alt: '...' },
  { name: 'dash only', alt: '-' },
  // numbers only
  { name: 'digits', alt: '1234' },
  { name: 'digits with spaces', alt: '  42  ' },
  { name: 'date', alt: '2023-01-02' },
  { name: 'numbered with hash', alt: '#5' },
  // camera-style ids
  { name: 'Sony id', alt: 'DSC_0042' },
  { name: 'Pixel id', alt: 'PXL_20230101_123456' },
  { name: 'Pixel motion photo id', alt: 'PXL_20230101_123456789.MP' },
  { name: 'iPhone id', alt: 'IMG_1234' },
  { name: 'iPhone id copy', alt: 'IMG_1234 (1)' },
  { name: 'Nikon id', alt: 'DSCN0001' },
  { name: 'Panasonic id', alt: 'P1010001' },
  { name: 'Samsung id', alt: 'SAM_0001' },
  { name: 'Samsung timestamp', alt: '20230101_123456' },
  { name: 'WhatsApp export', alt: 'WhatsApp Image 2023-01-02 at 10.11.12' },
  { name: 'screenshot without extension', alt: 'Screenshot 2024-01-02 at 10.11.12' },
  { name: 'screen shot, older macOS', alt: 'Screen Shot 2019-05-06 at 9.10.11 AM' },
  // hash-like
  { name: 'hex hash', alt: 'a3f9c2e1b4d5' },
  { name: 'long hex hash', alt: 'd41d8cd98f00b204e9800998ecf8427e' },
  { name: 'UUID', alt: '550e8400-e29b-41d4-a716-446655440000' },
  { name: 'opaque upload id', alt: 'kx93hd0a2mzq71bv' },
];

const realAlternatives: Case[] = [
  { name: 'Logo', alt: 'Logo' },
  { name: 'Cat', alt: 'Cat' },
  { name: 'Chart with a year', alt: 'Chart of sales 2023' },
  { name: 'Photo of …', alt: 'Photo of a cat on a sofa' },
  { name: 'Go button', alt: 'Go' },
  { name: 'Search button', alt: 'Search' },
  { name: 'Search icon', alt: 'Search icon' },
  { name: 'Copy button', alt: 'Copy' },
  { name: 'single letter', alt: 'A' },
  { name: 'Avatar', alt: 'Avatar' },
  { name: 'band name with slash', alt: 'AC/DC' },
  { name: 'domain as brand', alt: 'Amazon.com' },
  { name: 'price', alt: '$5' },
  { name: 'percentage', alt: '50%' },
  { name: 'rating with star', alt: '5★' },
  { name: 'top ten', alt: 'Top 10' },
  { name: 'short name that is also a camera prefix', alt: 'Sam' },
  { name: 'name with small number', alt: 'Sam 2' },
  { name: 'hex-only letters that form a word', alt: 'facade' },
  { name: 'model number', alt: 'iPhone 15' },
  { name: 'non-Latin text', alt: '猫' },
  { name: 'emoji', alt: '🐱' },
  { name: 'hyphenated words without a file', alt: 'banner-final-v2' },
  { name: 'slug with a year, image unknown', alt: 'team-offsite-2023' },
  { name: 'slug of another image', alt: 'team-offsite-2023', imageUrl: 'https://example.com/u/team-offsite-2024.jpg' },
  { name: 'file-name words matching the image, no separators', alt: 'Logo', imageUrl: 'https://example.com/logo.png' },
  { name: 'plain-word name matching an extensionless image', alt: 'cat', imageUrl: 'https://example.com/cat' },
  { name: '%-encoded plain words matching the image', alt: 'Company Logo', imageUrl: 'https://example.com/Company%20Logo.png' },
  { name: 'description differing from the file name', alt: 'Team offsite 2023', imageUrl: 'https://example.com/team-offsite-2023.jpg' },
  { name: 'data URL image with a real alt', alt: 'Red square', imageUrl: 'data:image/png;base64,AAAA' },
  { name: 'malformed %-escape in URL', alt: 'Sunset', imageUrl: 'https://example.com/%E0%A4%A.jpg' },
  { name: 'empty alt is decorative, not a placeholder', alt: '' },
  { name: 'whitespace-only alt is decorative too', alt: '   ' },
];

describe('isPlaceholderAlt', () => {
  describe('says an alt is a placeholder', () => {
    it.each(placeholders)('$name: "$alt"', ({ alt, imageUrl }) => {
      expect(isPlaceholderAlt(alt, imageUrl)).toBe(true);
    });
  });

  describe('keeps a real text alternative', () => {
    it.each(realAlternatives)('$name: "$alt"', ({ alt, imageUrl }) => {
      expect(isPlaceholderAlt(alt, imageUrl)).toBe(false);
    });
  });
});
