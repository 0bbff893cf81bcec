// Every message Taskvault sends, in one place: a plain-text part, a simple HTML part (no images,
// no tracking pixels, no tracked links), absolute links built from PUBLIC_URL.

export const PRODUCT_NAME = "Taskvault";

/** A message ready for a transport. `links` are listed apart so the development console can show them. */
export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  links: string[];
}

export type RenderedMessage = Omit<OutgoingMessage, "to">;

/** Where links point: PUBLIC_URL without a trailing slash. */
export interface MessageContext {
  publicUrl: string;
}

interface Body {
  subject: string;
  greeting?: string | undefined;
  paragraphs: string[];
  action?: { label: string; url: string } | undefined;
  /** Said after the action, e.g. how long the link works. */
  after?: string[];
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function render(body: Body): RenderedMessage {
  const paragraphs = [...(body.greeting ? [body.greeting] : []), ...body.paragraphs];
  const after = body.after ?? [];
  const footer = `— ${PRODUCT_NAME}`;
  const text = [
    ...paragraphs,
    ...(body.action ? [`${body.action.label}: ${body.action.url}`] : []),
    ...after,
    footer,
  ].join("\n\n");
  const html = [
    "<!doctype html>",
    `<html><body style="font-family: sans-serif; line-height: 1.5; max-width: 36rem">`,
    ...paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    ...(body.action ? [`<p><a href="${escapeHtml(body.action.url)}">${escapeHtml(body.action.label)}</a></p>`] : []),
    ...after.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    `<p>${escapeHtml(footer)}</p>`,
    "</body></html>",
  ].join("\n");
  return {
    subject: `${body.subject} – ${PRODUCT_NAME}`,
    text,
    html,
    links: body.action ? [body.action.url] : [],
  };
}

const greet = (name: string) => (name ? `Hello ${name},` : "Hello,");
const link = (context: MessageContext, path: string, token: string) =>
  `${context.publicUrl}${path}?token=${encodeURIComponent(token)}`;

export function verifyEmailMessage(context: MessageContext, input: { name: string; token: string }) {
  return render({
    subject: "Confirm your email address",
    greeting: greet(input.name),
    paragraphs: [`Please confirm that this is your email address for ${PRODUCT_NAME}.`],
    action: { label: "Confirm email", url: link(context, "/verify-email", input.token) },
    after: ["The link works once, for 24 hours. If you did not sign up, ignore this message."],
  });
}

export function resetPasswordMessage(context: MessageContext, input: { name: string; token: string }) {
  return render({
    subject: "Reset your password",
    greeting: greet(input.name),
    paragraphs: [`Someone (hopefully you) asked to reset the password of your ${PRODUCT_NAME} account.`],
    action: { label: "Set a new password", url: link(context, "/reset-password", input.token) },
    after: [
      "The link works once, for 30 minutes; asking again makes earlier links stop working. Setting a new password signs you out everywhere.",
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ],
  });
}

export function confirmEmailChangeMessage(
  context: MessageContext,
  input: { name: string; token: string; newEmail: string },
) {
  return render({
    subject: "Confirm your new email address",
    greeting: greet(input.name),
    paragraphs: [
      `Please confirm that ${input.newEmail} should become the email address of your ${PRODUCT_NAME} account.`,
    ],
    action: { label: "Confirm email", url: link(context, "/verify-email", input.token) },
    after: ["The link works once, for 24 hours. If you did not ask for this, ignore this message."],
  });
}

export function emailChangeRequestedMessage(context: MessageContext, input: { name: string; newEmail: string }) {
  return render({
    subject: "Your email address is about to change",
    greeting: greet(input.name),
    paragraphs: [
      `Someone signed in to your ${PRODUCT_NAME} account asked to change its email address to ${input.newEmail}. It changes once the link sent to that address is followed.`,
      `If this was not you, change your password now: ${context.publicUrl}/settings`,
    ],
  });
}

/**
 * Security notices. Adding an event is one line here; call `notifySecurityEvent(tx, userId, event)`
 * (auth/security-notices.ts) in the transaction of the change.
 */
export const SECURITY_NOTICES = {
  password_changed: { subject: "Your password was changed", what: "The password of your account was changed." },
  password_reset: {
    subject: "Your password was reset",
    what: "The password of your account was reset with a link sent to this address, and every session was signed out.",
  },
  email_changed: { subject: "Your email address was changed", what: "The email address of your account was changed." },
  refresh_token_reused: {
    subject: "A session was ended for your safety",
    what: "A sign-in token of one of your sessions was used twice, which happens when it has been copied. That session was ended.",
  },
  second_factor_added: { subject: "A second factor was added", what: "A second factor was added to your account." },
  second_factor_removed: {
    subject: "A second factor was removed",
    what: "A second factor was removed from your account.",
  },
  passkey_added: { subject: "A passkey was added", what: "A passkey was added to your account." },
  passkey_removed: { subject: "A passkey was removed", what: "A passkey was removed from your account." },
  api_token_created: { subject: "An API token was created", what: "An API token was created for your account." },
  sso_linked: {
    subject: "Single sign-on was linked",
    what: "An account at your single sign-on provider was linked to your account: it can now sign in to it.",
  },
  sso_unlinked: {
    subject: "Single sign-on was unlinked",
    what: "Your account was unlinked from its single sign-on provider: that provider account no longer signs in to it.",
  },
} as const satisfies Record<string, { subject: string; what: string }>;

export type SecurityEvent = keyof typeof SECURITY_NOTICES;

export function securityNoticeMessage(
  context: MessageContext,
  input: { name: string; event: SecurityEvent; at: string; ip: string | null; detail?: string | undefined },
) {
  const notice = SECURITY_NOTICES[input.event];
  const when = `When: ${new Date(input.at).toUTCString()}${input.ip ? `, from ${input.ip}` : ""}.`;
  return render({
    subject: notice.subject,
    greeting: greet(input.name),
    paragraphs: [
      notice.what,
      ...(input.detail ? [input.detail] : []),
      when,
      `If this was you, there is nothing to do. If not, reset your password at ${context.publicUrl}/forgot-password and review your sessions at ${context.publicUrl}/settings.`,
    ],
  });
}

export function reminderMessage(
  context: MessageContext,
  input: { name: string; title: string; remindAt: string; timezone: string; dueAt: string | null },
) {
  const format = (iso: string) =>
    new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: input.timezone }).format(
      new Date(iso),
    );
  return render({
    subject: `Reminder: ${input.title}`,
    greeting: greet(input.name),
    paragraphs: [
      `A reminder for “${input.title}” (${format(input.remindAt)}, ${input.timezone}).`,
      ...(input.dueAt ? [`It is due ${format(input.dueAt)}.`] : []),
    ],
    action: { label: "Open your todos", url: `${context.publicUrl}/` },
    after: [`Email reminders can be turned off in your settings: ${context.publicUrl}/settings`],
  });
}

export function listInvitationMessage(
  context: MessageContext,
  input: { inviterName: string; inviterEmail: string; listName: string; role: string; expiresAt: string },
) {
  const who = input.inviterName ? `${input.inviterName} (${input.inviterEmail})` : input.inviterEmail;
  const days = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(
    new Date(input.expiresAt),
  );
  return render({
    subject: `${who} shared “${input.listName}” with you`,
    greeting: "Hello,",
    paragraphs: [
      `${who} invited you to the list “${input.listName}” as ${input.role === "viewer" ? "a viewer" : "an editor"}.`,
      `Sign in to ${PRODUCT_NAME} with this address (verified) to accept or decline the invitation.`,
    ],
    action: { label: "Open your invitations", url: `${context.publicUrl}/` },
    after: [`The invitation is valid until ${days}. If you did not expect it, you can ignore this message.`],
  });
}
