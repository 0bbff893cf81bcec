import type { AddressInfo } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The links of the plain-text part. */
  links: string[];
  parsed: ParsedMail;
}

export interface TestMailbox {
  /** SMTP_URL for the API. */
  url: string;
  received: ReceivedMail[];
  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Refuses the next `count` messages with a temporary (4xx) error. */
  refuseNext(count: number): void;
  /** Slows the acceptance of each message by `ms`. */
  delayEach(ms: number): void;
  /** Stops listening (the server is "down"); `start` listens again on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (smtp-server) in the test process: messages are parsed with mailparser.
 * No STARTTLS (its built-in certificate is self-signed) and no authentication.
 */
export async function startMailbox(port = 0): Promise<TestMailbox> {
  const received: ReceivedMail[] = [];
  const waiters = new Set<{ match: (mail: ReceivedMail) => boolean; resolve: (mail: ReceivedMail) => void }>();
  let refusals = 0;
  let delayMs = 0;

  const create = () =>
    new SMTPServer({
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData(stream, _session, callback) {
        if (refusals > 0) {
          refusals--;
          stream.resume();
          stream.on("end", () => {
            const error = Object.assign(new Error("Try again later"), { responseCode: 451 });
            callback(error);
          });
          return;
        }
        simpleParser(stream).then(
          async (parsed) => {
            if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
            const text = parsed.text ?? "";
            const mail: ReceivedMail = {
              to: Array.isArray(parsed.to) ? (parsed.to[0]?.text ?? "") : (parsed.to?.text ?? ""),
              subject: parsed.subject ?? "",
              text,
              html: typeof parsed.html === "string" ? parsed.html : "",
              links: [...text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]),
              parsed,
            };
            received.push(mail);
            for (const waiter of waiters) {
              if (waiter.match(mail)) {
                waiters.delete(waiter);
                waiter.resolve(mail);
              }
            }
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });

  let server = create();
  const listen = (onPort: number) =>
    new Promise<number>((resolve, reject) => {
      server.once("error", reject);
      server.listen(onPort, "127.0.0.1", () => resolve((server.server.address() as AddressInfo).port));
    });
  const boundPort = await listen(port);
  const stop = () => new Promise<void>((resolve) => server.close(() => resolve()));

  return {
    url: `smtp://127.0.0.1:${boundPort}`,
    received,
    waitFor(match, timeoutMs = 20_000) {
      const found = received.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.add(waiter);
        setTimeout(() => {
          if (!waiters.delete(waiter)) return;
          reject(
            new Error(
              `No matching mail within ${timeoutMs} ms; received: ${received.map((m) => `${m.to} ${m.subject}`).join("; ")}`,
            ),
          );
        }, timeoutMs).unref();
      });
    },
    refuseNext(count) {
      refusals = count;
    },
    delayEach(ms) {
      delayMs = ms;
    },
    stop,
    async start() {
      server = create();
      await listen(boundPort);
    },
    close: stop,
  };
}

/** The token of the first link in a mail. */
export function tokenOf(mail: ReceivedMail): string {
  const link = mail.links.find((candidate) => candidate.includes("token="));
  if (!link) throw new Error(`No link with a token in: ${mail.text}`);
  return new URL(link).searchParams.get("token")!;
}

export const TEST_PUBLIC_URL = "https://todo.example";

/** The API's environment for tests that send mail: this mailbox, and a sender that polls and retries quickly. */
export const mailEnv = (mailbox: TestMailbox): Record<string, string> => ({
  SMTP_URL: mailbox.url,
  PUBLIC_URL: TEST_PUBLIC_URL,
  MAIL_POLL_SECONDS: "0.05",
  MAIL_RETRY_BASE_SECONDS: "0.1",
});
