import { render } from 'preact';
import { tokensCss } from '@/components/design-tokens';
import { OnboardingPage } from '@/components/onboarding/OnboardingPage';
import { localizePage } from '@/lib/i18n';
import '../options/style.css';
import './style.css';

localizePage('welcomeTitle');
const tokens = document.createElement('style');
tokens.textContent = tokensCss(':root');
document.head.prepend(tokens);

render(<OnboardingPage />, document.getElementById('app')!);
