// /api/v1/me/mfa/* and /api/v1/me/passkeys/* – the signed-in user's second factors and passkeys
import {
  ConfirmTotp,
  CreatePasskey,
  MfaStatus,
  Passkey,
  PasskeyList,
  PasskeyParams,
  RecoveryCodes,
  RemoveFactor,
  RenamePasskey,
  StepUp,
  TotpEnrolment,
  WebAuthnOptions,
} from "@taskvault/contract/mfa";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clientInfo } from "../http/client-info.ts";
import {
  addPasskey,
  confirmTotpEnrolment,
  getMfaStatus,
  listMyPasskeys,
  regenerateRecoveryCodes,
  removePasskey,
  removeTotp,
  renameMyPasskey,
  startPasskeyRegistration,
  startTotpEnrolment,
} from "./manage-factors.ts";
import { STEP_UP_PROOF_NOTE } from "./step-up.ts";

const tags = ["second factors"];
const stepUpNote = `${STEP_UP_PROOF_NOTE} \`endOtherSessions: true\` ends every other session (ASVS 7.4.3).`;

export const mfaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/mfa",
    {
      schema: {
        operationId: "getMfaStatus",
        tags,
        summary: "Which second factors the account has",
        response: { 200: MfaStatus },
      },
    },
    (request) => getMfaStatus(app.auth, request.caller),
  );

  app.post(
    "/mfa/totp",
    {
      config: { stepUp: true },
      schema: {
        operationId: "startTotpEnrolment",
        tags,
        summary: "Start setting up an authenticator app: a new secret, not active until confirmed",
        description: stepUpNote,
        body: StepUp,
        response: { 200: TotpEnrolment },
      },
    },
    (request) => startTotpEnrolment(app.auth, request.caller, request.body),
  );

  app.post(
    "/mfa/totp/confirm",
    {
      schema: {
        operationId: "confirmTotpEnrolment",
        tags,
        summary: "Activate the authenticator app with a first code; returns the recovery codes, shown only here",
        body: ConfirmTotp,
        response: { 200: RecoveryCodes },
      },
    },
    (request) => confirmTotpEnrolment(app.auth, request.caller, request.body, clientInfo(request)),
  );

  app.delete(
    "/mfa/totp",
    {
      config: { stepUp: true },
      schema: {
        operationId: "removeTotp",
        tags,
        summary: "Remove the authenticator app",
        description: stepUpNote,
        body: RemoveFactor,
      },
    },
    async (request, reply) => {
      await removeTotp(app.auth, request.caller, request.body, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.post(
    "/mfa/recovery-codes",
    {
      config: { stepUp: true },
      schema: {
        operationId: "regenerateRecoveryCodes",
        tags,
        summary: "A fresh set of recovery codes; the old set stops working",
        description: stepUpNote,
        body: StepUp,
        response: { 200: RecoveryCodes },
      },
    },
    (request) => regenerateRecoveryCodes(app.auth, request.caller, request.body, clientInfo(request)),
  );

  app.post(
    "/passkeys/options",
    {
      schema: {
        operationId: "passkeyRegistrationOptions",
        tags,
        summary: "WebAuthn creation options for a new passkey (challenge single use, 5 minutes)",
        response: { 200: WebAuthnOptions },
      },
    },
    (request) => startPasskeyRegistration(app.auth, request.caller),
  );

  app.post(
    "/passkeys",
    {
      schema: {
        operationId: "addPasskey",
        tags,
        summary: "Register a passkey from the browser's attestation response",
        body: CreatePasskey,
        response: { 201: Passkey },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await addPasskey(app.auth, request.caller, request.body, clientInfo(request))),
  );

  app.get(
    "/passkeys",
    {
      schema: { operationId: "listPasskeys", tags, summary: "The account's passkeys", response: { 200: PasskeyList } },
    },
    (request) => listMyPasskeys(app.auth, request.caller),
  );

  app.patch(
    "/passkeys/:id",
    {
      schema: {
        operationId: "renamePasskey",
        tags,
        summary: "Rename a passkey",
        params: PasskeyParams,
        body: RenamePasskey,
        response: { 200: Passkey },
      },
    },
    (request) => renameMyPasskey(app.auth, request.caller, request.params.id, request.body.name, clientInfo(request)),
  );

  app.delete(
    "/passkeys/:id",
    {
      config: { stepUp: true },
      schema: {
        operationId: "removePasskey",
        tags,
        summary: "Remove a passkey",
        description: `The body is needed only to remove the account's last second factor. ${stepUpNote}`,
        params: PasskeyParams,
        body: RemoveFactor.nullish(),
      },
    },
    async (request, reply) => {
      await removePasskey(app.auth, request.caller, request.params.id, request.body ?? {}, clientInfo(request));
      return reply.code(204).send();
    },
  );
};
