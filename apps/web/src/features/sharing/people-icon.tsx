/** Two people: marks a shared list (an inline SVG: emoji fonts are not everywhere). */
export function PeopleIcon({ className = "size-3.5" }: { className?: string }) {
  return (
    <svg viewBox="0 0 20 20" fill="currentColor" aria-hidden="true" className={className}>
      <circle cx="7" cy="6" r="3" />
      <path d="M1 17c0-3.3 2.7-6 6-6s6 2.7 6 6z" />
      <circle cx="14.5" cy="7" r="2.5" />
      <path d="M14 11.2c2.8.2 5 2.6 5 5.8h-4.5c0-2.3-.2-4.2-.5-5.8z" />
    </svg>
  );
}
