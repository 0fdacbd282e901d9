// The same drawing as assets/butterfly.svg, inline so it needs no network and no extra request.
import { useTranslation } from 'react-i18next';

export function ButterflyLogo({ size = 96 }: { size?: number }) {
  const { t } = useTranslation();
  return (
    <svg width={size} height={size} viewBox="0 0 256 256" role="img" aria-label={t('app.logo')}>
      <defs>
        <linearGradient id="bf-wing-top" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#4fc3f7" />
          <stop offset="1" stopColor="#1565c0" />
        </linearGradient>
        <linearGradient id="bf-wing-low" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#81c784" />
          <stop offset="1" stopColor="#2e7d32" />
        </linearGradient>
      </defs>
      <path d="M124 122 C 96 52, 28 30, 22 78 C 18 112, 62 132, 124 128 Z" fill="url(#bf-wing-top)" />
      <path d="M132 122 C 160 52, 228 30, 234 78 C 238 112, 194 132, 132 128 Z" fill="url(#bf-wing-top)" />
      <path d="M124 134 C 80 134, 44 160, 60 196 C 76 226, 114 192, 124 142 Z" fill="url(#bf-wing-low)" />
      <path d="M132 134 C 176 134, 212 160, 196 196 C 180 226, 142 192, 132 142 Z" fill="url(#bf-wing-low)" />
      <circle cx="66" cy="84" r="12" fill="#e1f5fe" opacity="0.8" />
      <circle cx="190" cy="84" r="12" fill="#e1f5fe" opacity="0.8" />
      <rect x="121" y="96" width="14" height="96" rx="7" fill="#263238" />
      <path d="M126 98 C 120 76, 108 64, 96 58" stroke="#263238" strokeWidth="4" fill="none" strokeLinecap="round" />
      <path d="M130 98 C 136 76, 148 64, 160 58" stroke="#263238" strokeWidth="4" fill="none" strokeLinecap="round" />
    </svg>
  );
}
