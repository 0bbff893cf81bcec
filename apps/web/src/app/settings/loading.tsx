/** Shown while /settings loads its profile and sessions after a navigation from another page. */
export default function SettingsLoading() {
  return (
    <div className="mx-auto w-full max-w-3xl px-3 py-20 sm:px-6" role="status" aria-label="Loading settings">
      <div className="card h-40 animate-pulse" />
      <div className="card mt-4 h-56 animate-pulse" />
      <div className="card mt-4 h-40 animate-pulse" />
    </div>
  );
}
