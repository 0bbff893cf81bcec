import { describe, expect, it } from "vitest";
import {
  confirmEmailChangeMessage,
  emailChangeRequestedMessage,
  reminderMessage,
  resetPasswordMessage,
  SECURITY_NOTICES,
  type SecurityEvent,
  securityNoticeMessage,
  verifyEmailMessage,
} from "../../src/mail/templates.ts";

const context = { publicUrl: "https://todo.example" };
const TOKEN = "AbC_123-xyz";

const messages = {
  verification: verifyEmailMessage(context, { name: "Ada", token: TOKEN }),
  reset: resetPasswordMessage(context, { name: "Ada", token: TOKEN }),
  "email change confirmation": confirmEmailChangeMessage(context, {
    name: "Ada",
    token: TOKEN,
    newEmail: "new@example.com",
  }),
  "email change notice": emailChangeRequestedMessage(context, { name: "Ada", newEmail: "new@example.com" }),
  reminder: reminderMessage(context, {
    name: "Ada",
    title: "Water the plants",
    remindAt: "2026-12-06T08:00:00.000Z",
    timezone: "Europe/Paris",
    dueAt: null,
  }),
  ...Object.fromEntries(
    (Object.keys(SECURITY_NOTICES) as SecurityEvent[]).map((event) => [
      `notice ${event}`,
      securityNoticeMessage(context, { name: "Ada", event, at: "2026-12-05T10:00:00.000Z", ip: "192.0.2.1" }),
    ]),
  ),
};

describe("message templates", () => {
  it.each(Object.entries(messages))(
    "%s: a plain-text and an HTML part, the product name, absolute links only, no tracking",
    (_name, message) => {
      expect(message.subject).toMatch(/– Taskvault$/);
      expect(message.text).toContain("Taskvault");
      expect(message.html).toContain("Taskvault");
      for (const link of [...message.text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0])) {
        expect(link.startsWith("https://todo.example/")).toBe(true);
      }
      for (const href of [...message.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!)) {
        expect(href.startsWith("https://todo.example/")).toBe(true);
      }
      expect(message.html).not.toMatch(/<img|<script|utm_|<link/i);
    },
  );

  it("links verification and email-change confirmation to /verify-email and resets to /reset-password", () => {
    expect(messages.verification.links).toEqual([`https://todo.example/verify-email?token=${TOKEN}`]);
    expect(messages["email change confirmation"].links).toEqual([`https://todo.example/verify-email?token=${TOKEN}`]);
    expect(messages.reset.links).toEqual([`https://todo.example/reset-password?token=${TOKEN}`]);
    expect(messages.verification.text).toContain("24 hours");
    expect(messages.reset.text).toContain("30 minutes");
  });

  it("escapes what users wrote in the HTML part", () => {
    const message = reminderMessage(context, {
      name: "<b>Eve</b>",
      title: '<script>alert("x")</script> & co',
      remindAt: "2026-12-06T08:00:00.000Z",
      timezone: "UTC",
      dueAt: "2026-12-07T08:00:00.000Z",
    });
    expect(message.html).not.toContain("<script>");
    expect(message.html).not.toContain("<b>Eve</b>");
    expect(message.html).toContain("&#60;script&#62;");
    expect(message.text).toContain('<script>alert("x")</script> & co');
  });

  it("writes a reminder's time in the todo's zone", () => {
    expect(messages.reminder.text).toContain("6 Dec 2026, 09:00");
    expect(messages.reminder.text).toContain("Europe/Paris");
  });

  it("names the event, when and from where in a security notice", () => {
    const notice = securityNoticeMessage(context, {
      name: "",
      event: "password_changed",
      at: "2026-12-05T10:00:00.000Z",
      ip: "192.0.2.1",
    });
    expect(notice.subject).toBe("Your password was changed – Taskvault");
    expect(notice.text).toMatch(/^Hello,/);
    expect(notice.text).toContain("Sat, 05 Dec 2026 10:00:00 GMT, from 192.0.2.1");
    expect(notice.links).toEqual([]);
  });
});
