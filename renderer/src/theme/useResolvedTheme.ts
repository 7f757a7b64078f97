import { useEffect, useState } from 'react';

/** The theme actually shown: the user's choice, or the OS preference when they chose "system". */
export function useResolvedTheme(choice: 'light' | 'dark' | 'system'): 'light' | 'dark' {
  const query = '(prefers-color-scheme: dark)';
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const media = window.matchMedia(query);
    const onChange = (event: MediaQueryListEvent): void => setSystemDark(event.matches);
    media.addEventListener('change', onChange);
    return () => media.removeEventListener('change', onChange);
  }, []);
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}
