/** The frame of the pages people open from an e-mailed link, signed in or not: the product name and one card. */
import type { ReactNode } from 'react';

export function AccountFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="signin" id="main">
      <div className="card narrow account-card">
        <a className="brand big" href="/ui/">
          <span className="logo" aria-hidden="true">
            ◆
          </span>
          Prompts
        </a>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

export function PasswordRules({ minLength, id }: { minLength: number; id: string }) {
  return (
    <ul className="rules muted small" id={id}>
      <li>At least {minLength} characters (a few words make a good one).</li>
      <li>Not one of the most common passwords.</li>
      <li>Not containing your email address.</li>
    </ul>
  );
}
