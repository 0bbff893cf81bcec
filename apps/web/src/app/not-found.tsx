import Link from "next/link";
import { connection } from "next/server";

export default async function NotFound() {
  // Rendered per request so its scripts carry this response's CSP nonce.
  await connection();
  return (
    <main className="mx-auto flex min-h-dvh max-w-md flex-col items-center justify-center gap-4 px-4 text-center">
      <h1 className="text-2xl font-bold">Page not found</h1>
      <p className="text-slate-600 dark:text-slate-400">There is nothing at this address.</p>
      <Link href="/" className="btn-primary">
        Back to your todos
      </Link>
    </main>
  );
}
