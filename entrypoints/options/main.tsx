import { render } from 'preact';
import { tokensCss } from '@/components/design-tokens';
import { OptionsPage } from '@/components/options/OptionsPage';
import { localizePage } from '@/lib/i18n';
import './style.css';

localizePage('optionsTitle');
const tokens = document.createElement('style');
tokens.textContent = tokensCss(':root');
document.head.prepend(tokens);

render(<OptionsPage />, document.getElementById('app')!);
