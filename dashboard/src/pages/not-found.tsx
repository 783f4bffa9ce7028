import { Link } from 'wouter';

export function NotFoundPage() {
  return (
    <section className="card narrow">
      <h1>Page not found</h1>
      <p>This address does not match any page of the dashboard.</p>
      <Link href="/" className="btn primary">
        Go to the prompt list
      </Link>
    </section>
  );
}
