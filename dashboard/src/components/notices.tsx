/** Short notices ("production → v5 by Kira") in a polite live region, gone after a few seconds. */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

type Notice = { id: number; text: string; tone: 'info' | 'error' };
type Notify = (text: string, tone?: Notice['tone']) => void;

const NoticeContext = createContext<Notify>(() => undefined);
let nextId = 1;

export function NoticeProvider({ children }: { children: ReactNode }) {
  const [notices, setNotices] = useState<Notice[]>([]);
  const notify = useCallback<Notify>((text, tone = 'info') => {
    const id = nextId++;
    setNotices((n) => [...n.slice(-3), { id, text, tone }]);
    setTimeout(() => setNotices((n) => n.filter((x) => x.id !== id)), 6000);
  }, []);
  return (
    <NoticeContext.Provider value={notify}>
      {children}
      <div className="notices" role="status" aria-live="polite">
        {notices.map((n) => (
          <div key={n.id} className={`notice ${n.tone}`} data-testid="notice">
            {n.text}
          </div>
        ))}
      </div>
    </NoticeContext.Provider>
  );
}

export function useNotify(): Notify {
  return useContext(NoticeContext);
}
