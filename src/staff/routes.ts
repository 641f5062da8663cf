// HTTP face of the staff register: /api/members, /api/units, /api/teams, grid staffing and
// region-level responsibilities (/api/responsibilities).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Ctx } from '../platform/context.ts';
import { StringEnum, actorOf } from '../platform/http.ts';
import { REGION_ROLES } from './rules.ts';
import { MEMBER_ROLES } from './schema.ts';
import * as service from './service.ts';
import * as teams from './teams.ts';
import * as units from './units.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const RefId = Type.Integer({ minimum: 1 });
// `type: [T, 'null']`, not a union: with coerceTypes, ajv would turn null into 0 or '' in a union's
// first branch (a capacity cleared to null would arrive as 0).
const OrNull = <T>(schema: Record<string, unknown>) =>
  Type.Optional(Type.Unsafe<T | null>({ ...schema, type: [schema.type, 'null'] }));
const NullableRef = OrNull<number>({ type: 'integer', minimum: 1 });
const Str = (max: number) => Type.String({ maxLength: max });
const NullableStr = (max: number) => OrNull<string>({ type: 'string', maxLength: max });
// A body-less POST (no reason given) arrives as undefined, which only a union with null accepts.
const Reason = Type.Union([
  Type.Object({ reason: Type.Optional(Str(200)) }, { additionalProperties: false }),
  Type.Null(),
]);
const MemberFields = {
  name: Str(50),
  mobile: Str(30),
  roles: Type.Array(StringEnum(MEMBER_ROLES), { minItems: 1, maxItems: MEMBER_ROLES.length }),
  regionId: RefId,
  unitId: NullableRef,
  homeRegionId: NullableRef,
  capacity: OrNull<number>({ type: 'integer', minimum: 0, maximum: 100000 }),
  accountId: NullableRef,
};
const UnitFields = {
  name: Str(100),
  parentId: NullableRef,
  partyOrgName: NullableStr(100),
  partyOrgContact: NullableStr(50),
  partyOrgMobile: NullableStr(30),
};
const tags = ['staff'];

export const staffRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/api/members',
    {
      schema: {
        tags,
        summary: 'The staff register: members serving in a region, filtered and paged',
        querystring: Type.Object({
          regionId: Type.Optional(RefId),
          role: Type.Optional(StringEnum(MEMBER_ROLES)),
          unitId: Type.Optional(RefId),
          active: Type.Optional(Type.Boolean()),
          q: Type.Optional(Str(30)),
          page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
        }),
      },
    },
    (req) => service.listMembers(ctx, actorOf(req), req.query),
  );

  app.post(
    '/api/members',
    {
      schema: {
        tags,
        summary: 'Register a member (mobile unique in the county)',
        body: Type.Object(MemberFields, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.code(201).send(await service.createMember(ctx, actorOf(req), req.body)),
  );

  app.get(
    '/api/members/:id',
    { schema: { tags, summary: 'A member with their current responsibilities', params: Id } },
    (req) => service.getMember(ctx, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/members/:id',
    {
      schema: {
        tags,
        summary: 'Edit a member (null clears unit, home community, capacity or account)',
        params: Id,
        body: Type.Partial(Type.Object(MemberFields), { additionalProperties: false }),
      },
    },
    (req) => service.updateMember(ctx, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/members/:id/deactivate',
    {
      schema: {
        tags,
        summary: 'Deactivate a member; their open responsibilities end today (the count is returned)',
        params: Id,
        body: Reason,
      },
    },
    (req) => service.deactivateMember(ctx, actorOf(req), req.params.id, req.body?.reason),
  );

  app.post(
    '/api/members/:id/activate',
    { schema: { tags, summary: 'Reactivate a member (ended responsibilities stay ended)', params: Id } },
    (req) => service.activateMember(ctx, actorOf(req), req.params.id),
  );

  app.get(
    '/api/units',
    {
      schema: {
        tags,
        summary: 'Work units of a region and of the regions above it (read-only)',
        querystring: Type.Object({ regionId: Type.Optional(RefId), q: Type.Optional(Str(50)) }),
      },
    },
    (req) => units.listUnits(ctx, actorOf(req), req.query),
  );

  app.post(
    '/api/units',
    {
      schema: {
        tags,
        summary: 'Add a work unit with its party organisation',
        body: Type.Object({ ...UnitFields, regionId: RefId }, { additionalProperties: false }),
      },
    },
    async (req, reply) => reply.code(201).send(await units.createUnit(ctx, actorOf(req), req.body)),
  );

  app.patch(
    '/api/units/:id',
    {
      schema: {
        tags,
        summary: 'Rename or move a unit, or change its party organisation',
        params: Id,
        body: Type.Partial(Type.Object(UnitFields), { additionalProperties: false }),
      },
    },
    (req) => units.updateUnit(ctx, actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/teams',
    {
      schema: {
        tags,
        summary: 'Service teams (小分队) of a region with their members',
        querystring: Type.Object({ regionId: Type.Optional(RefId), active: Type.Optional(Type.Boolean()) }),
      },
    },
    (req) => teams.listTeams(ctx, actorOf(req), req.query),
  );

  app.post(
    '/api/teams',
    {
      schema: {
        tags,
        summary: 'Form a service team, optionally with members and a leader',
        body: Type.Object(
          {
            name: Str(50),
            regionId: RefId,
            memberIds: Type.Optional(Type.Array(RefId, { maxItems: 200 })),
            leaderId: NullableRef,
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await teams.createTeam(ctx, actorOf(req), req.body)),
  );

  app.patch(
    '/api/teams/:id',
    {
      schema: {
        tags,
        summary: 'Rename a team, or disband it (active false)',
        params: Id,
        body: Type.Object(
          { name: Type.Optional(Str(50)), active: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    (req) => teams.updateTeam(ctx, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/teams/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member to a team, or make them its leader',
        params: Id,
        body: Type.Object(
          { memberId: RefId, leader: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
      },
    },
    (req) => teams.addTeamMember(ctx, actorOf(req), req.params.id, req.body),
  );

  app.delete(
    '/api/teams/:id/members/:memberId',
    {
      schema: {
        tags,
        summary: 'Take a member off a team',
        params: Type.Object({ id: RefId, memberId: RefId }),
      },
    },
    async (req, reply) => {
      await teams.removeTeamMember(ctx, actorOf(req), req.params.id, req.params.memberId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/regions/:id/staffing',
    {
      schema: {
        tags,
        summary: 'Grid staffing 1+1+N under a region: leader, medic and members per grid, gaps flagged',
        params: Id,
      },
    },
    (req) => service.gridStaffing(ctx, actorOf(req), req.params.id),
  );

  app.get(
    '/api/regions/:id/responsibilities',
    {
      schema: {
        tags,
        summary:
          'Who answers for the region and each township and village under it (county leader, township cadre, village secretary), gaps flagged',
        params: Id,
      },
    },
    (req) => service.nodeResponsibilities(ctx, actorOf(req), req.params.id),
  );

  app.post(
    '/api/responsibilities',
    {
      schema: {
        tags,
        summary: 'Make a member answer for a region (a new grid leader or medic replaces the old)',
        body: Type.Object(
          {
            memberId: RefId,
            regionId: RefId,
            role: StringEnum(REGION_ROLES),
            fromDate: Type.Optional(Type.String({ format: 'date' })),
            reason: Type.Optional(Str(200)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await service.assignRegionRole(ctx, actorOf(req), req.body)),
  );

  app.post(
    '/api/responsibilities/:id/end',
    {
      schema: {
        tags,
        summary: 'End a region-level responsibility today',
        params: Id,
        body: Reason,
      },
    },
    (req) => service.endResponsibility(ctx, actorOf(req), req.params.id, req.body?.reason),
  );
};
