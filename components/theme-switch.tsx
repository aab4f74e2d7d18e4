import { THEMES, type Theme } from '@/lib/web/theme';

const LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/**
 * System / Light / Dark, as three buttons of one small form: a plain POST without JavaScript,
 * the chosen one marked pressed. The choice is kept per browser.
 */
export function ThemeSwitch({ current, action }: { current: Theme; action: (form: FormData) => Promise<void> }) {
  return (
    <form action={action} aria-label="Theme" className="inline-flex rounded-md border border-slate-300 p-0.5 text-xs">
      {THEMES.map((theme) => (
        <button
          key={theme}
          type="submit"
          name="theme"
          value={theme}
          aria-pressed={theme === current}
          className={`rounded px-2 py-1 font-semibold ${theme === current ? 'bg-slate-200 text-slate-900' : 'text-slate-700 hover:bg-slate-100'}`}
        >
          {LABELS[theme]}
        </button>
      ))}
    </form>
  );
}
