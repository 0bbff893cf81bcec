// How a composed message leaves: SMTP (RFC 5321, with STARTTLS per RFC 3207 whenever the server
// offers it on smtp://, implicit TLS on smtps://) through nodemailer, or, in development without
// SMTP_URL, the console, so a person running `npm start` can follow a reset link.
import { createTransport } from "nodemailer";
import type { Config } from "../config.ts";
import type { OutgoingMessage } from "./templates.ts";

export interface MailTransport {
  /** Resolves once the server accepted the message; rejects on any refusal or network failure. */
  send(message: OutgoingMessage): Promise<void>;
  close(): void;
}

type TransportConfig = Pick<Config, "NODE_ENV" | "SMTP_URL" | "MAIL_FROM" | "MAIL_SEND_TIMEOUT_SECONDS">;

/**
 * The transport the configuration asks for, or null when messages cannot leave: production without
 * SMTP_URL (the caller warns at start-up; nothing, links least of all, is logged).
 */
export function createMailTransport(
  config: TransportConfig,
  print: (text: string) => void = (text) => console.log(text),
): MailTransport | null {
  if (config.SMTP_URL) return smtpTransport(config.SMTP_URL, config.MAIL_FROM, config.MAIL_SEND_TIMEOUT_SECONDS);
  if (config.NODE_ENV === "production") return null;
  if (config.NODE_ENV === "test") return { send: async () => {}, close() {} };
  return {
    async send(message) {
      print(
        [
          "── mail (no SMTP_URL: printed, not sent) ──",
          `To: ${message.to}`,
          `Subject: ${message.subject}`,
          ...message.links.map((url) => `Link: ${url}`),
          "──",
        ].join("\n"),
      );
    },
    close() {},
  };
}

function smtpTransport(url: string, from: string, timeoutSeconds: number): MailTransport {
  const timeoutMs = timeoutSeconds * 1000;
  // One connection a message: simple and self-healing across server restarts; volume is low.
  const transporter = createTransport({
    url,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  return {
    async send(message) {
      await transporter.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
      });
    },
    close: () => transporter.close(),
  };
}
