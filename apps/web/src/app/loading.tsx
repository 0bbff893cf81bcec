/** Shown while a signed-in page loads after a client-side navigation. */
export default function Loading() {
  return (
    <div className="mx-auto w-full max-w-3xl px-3 py-20 sm:px-6" role="status" aria-label="Loading">
      <div className="card h-14 animate-pulse" />
      <div className="card mt-3 h-64 animate-pulse" />
    </div>
  );
}
