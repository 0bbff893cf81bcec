// Shared lists: /api/v1/lists/{id}/invitations and /members, /api/v1/invitations. Each route
// declares what it touches (config.access); the handler works on the grant.
import { List } from "@taskvault/contract/lists";
import {
  CreateInvitation,
  Invitation,
  InvitationCollection,
  InvitationParams,
  Member,
  MemberCollection,
  MemberParams,
  UpdateMember,
} from "@taskvault/contract/sharing";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  acceptInvitation,
  createInvitation,
  deleteInvitation,
  listInvitationsOf,
  listMembersOf,
  pendingInvitations,
  removeMember,
  updateMember,
} from "./sharing.ts";

const tags = ["sharing"];
const ListIdParams = z.object({ id: z.string() });

/** Under /api/v1/lists. */
export const listSharingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app;
  app.post(
    "/:id/invitations",
    {
      schema: {
        operationId: "createInvitation",
        tags,
        summary: "Invite an address to the list as editor or viewer (owner); an email goes to it",
        description:
          "The invitation is valid 14 days and single use; it is accepted by whoever is signed in with that verified email. Inviting the same address again renews it. Someone who already sees the list: 409.",
        params: ListIdParams,
        body: CreateInvitation,
        response: { 201: Invitation },
      },
      config: { access: { list: "params.id", action: "manage" } },
    },
    async (request, reply) => {
      const invitation = await createInvitation(db, request.grants.list!, request.body);
      reply.code(201).header("location", `/api/v1/invitations/${invitation.id}`);
      return invitation;
    },
  );

  app.get(
    "/:id/invitations",
    {
      schema: {
        operationId: "listListInvitations",
        tags,
        summary: "The list's pending invitations (owner)",
        params: ListIdParams,
        response: { 200: InvitationCollection },
      },
      config: { access: { list: "params.id", action: "manage" } },
    },
    (request) => listInvitationsOf(db, request.grants.list!),
  );

  app.get(
    "/:id/members",
    {
      schema: {
        operationId: "listMembers",
        tags,
        summary: "Who sees the list: its owner, then members in the order they joined",
        params: ListIdParams,
        response: { 200: MemberCollection },
      },
      // A script may read who is in a list (assignee ids); inviting and membership changes refuse
      // API tokens (no scopes declared): a leaked token must not hand the data to someone else.
      config: { access: { list: "params.id", action: "read" }, scopes: ["lists:read"] },
    },
    (request) => listMembersOf(db, request.grants.list!),
  );

  app.patch(
    "/:id/members/:userId",
    {
      schema: {
        operationId: "updateMember",
        tags,
        summary: "Change a member's role (owner)",
        params: MemberParams,
        body: UpdateMember,
        response: { 200: Member },
      },
      config: { access: { list: "params.id", action: "manage" } },
    },
    (request) => updateMember(db, request.grants.list!, request.params.userId, request.body.role),
  );

  app.delete(
    "/:id/members/:userId",
    {
      schema: {
        operationId: "removeMember",
        tags,
        summary: "Remove a member (owner), or leave the list (a member removing themself)",
        params: MemberParams,
      },
      config: { access: { list: "params.id", action: "read" } },
    },
    async (request, reply) => {
      await removeMember(db, request.grants.list!, request.params.userId);
      request.alsoWake = [request.params.userId];
      return reply.code(204).send();
    },
  );
};

/** Under /api/v1/invitations: the caller's own, matched by verified email. */
export const invitationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { db } = app;
  app.get(
    "/",
    {
      schema: {
        operationId: "listInvitations",
        tags,
        summary: "The caller's pending invitations (matched to the caller's verified email)",
        response: { 200: InvitationCollection },
      },
      config: { access: "caller" },
    },
    (request) => pendingInvitations(db, request.caller.userId),
  );

  app.post(
    "/:id/accept",
    {
      schema: {
        operationId: "acceptInvitation",
        tags,
        summary: "Accept an invitation: the list is shared with the caller from now on",
        params: InvitationParams,
        response: { 200: List },
      },
      config: { access: "caller" },
    },
    async (request) => {
      const { list, ownerId } = await acceptInvitation(db, request.caller.userId, request.params.id);
      // The membership's trigger wrote the list, with its new member count, into the owner's and
      // every member's log: their open streams hear of it now, not at the next poll.
      request.alsoTouched = [{ ownerId, listId: list.id }];
      return list;
    },
  );

  app.delete(
    "/:id",
    {
      schema: {
        operationId: "deleteInvitation",
        tags,
        summary: "Decline (invitee) or withdraw (owner) an invitation",
        params: InvitationParams,
      },
      config: { access: "caller" },
    },
    async (request, reply) => {
      await deleteInvitation(db, request.caller.userId, request.params.id);
      return reply.code(204).send();
    },
  );
};
