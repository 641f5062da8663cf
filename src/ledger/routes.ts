// HTTP face of the ledger: /api/residents, /api/households, survey coverage, categories and colour rules.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Ctx } from '../platform/context.ts';
import { StringEnum, actorOf } from '../platform/http.ts';
import * as categories from './categories.ts';
import { COLOURS } from './colour.ts';
import * as households from './households.ts';
import * as rulesets from './rulesets.ts';
import { CONDITION_STATES, HOUSEHOLD_STATUSES, RESIDENT_STATUSES, VACCINATION } from './schema.ts';
import * as service from './service.ts';

const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Colour = StringEnum(COLOURS);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = (max: number) => Type.String({ maxLength: max });
const ResidentFields = {
  name: Type.Optional(Str(50)),
  idNumber: Type.Optional(Nullable(Str(30))),
  sex: Type.Optional(Type.Union([StringEnum(['M', 'F'] as const), Type.Null()])),
  birthDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  phones: Type.Optional(Type.Union([Str(100), Type.Array(Str(30), { maxItems: 5 }), Type.Null()])),
  categories: Type.Optional(Type.Array(Str(40), { maxItems: 20 })),
  conditions: Type.Optional(
    Type.Array(Type.Object({ name: Str(50), state: StringEnum(CONDITION_STATES) }), { maxItems: 20 }),
  ),
  vaccination: Type.Optional(Type.Union([StringEnum(VACCINATION), Type.Null()])),
  pregnancyDueDate: Type.Optional(Nullable(Type.String({ format: 'date' }))),
  medication: Type.Optional(Nullable(Str(500))),
  notes: Type.Optional(Nullable(Str(1000))),
};
const tags = ['ledger'];

export const ledgerRoutes: FastifyPluginAsyncTypebox<{ ctx: Ctx }> = async (app, { ctx }) => {
  app.get(
    '/api/residents',
    {
      schema: {
        tags,
        summary:
          'The ledger: residents in a region, filtered, sorted and paged (ID numbers and phones masked)',
        querystring: Type.Object({
          regionId: Type.Optional(Type.Integer({ minimum: 1 })),
          colour: Type.Optional(Type.Array(Colour)),
          category: Type.Optional(Type.Array(Str(40))),
          ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
          ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 150 })),
          surveyed: Type.Optional(StringEnum(['yes', 'no', 'stale'] as const)),
          staleDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
          q: Type.Optional(Str(30)),
          status: Type.Optional(StringEnum([...RESIDENT_STATUSES, 'all'] as const)),
          sort: Type.Optional(StringEnum(['id', 'name', 'birthDate', 'colour'] as const)),
          desc: Type.Optional(Type.Boolean()),
          page: Type.Integer({ minimum: 1, maximum: 100000, default: 1 }),
          pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
          after: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
      },
    },
    (req) => service.listResidents(ctx, actorOf(req), req.query),
  );

  app.post(
    '/api/residents',
    {
      schema: {
        tags,
        summary: 'Add a resident to a household (an existing one, or a new one at an address in a grid)',
        body: Type.Object(
          {
            ...ResidentFields,
            name: Str(50),
            household: Type.Union([
              Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
              Type.Object(
                {
                  gridId: Type.Integer({ minimum: 1 }),
                  address: Str(200),
                  houseNumber: Type.Optional(Nullable(Str(50))),
                },
                { additionalProperties: false },
              ),
            ]),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => reply.code(201).send(await service.createResident(ctx, actorOf(req), req.body)),
  );

  app.get(
    '/api/residents/:id',
    { schema: { tags, summary: 'A resident with household and colour history', params: Id } },
    (req) => service.getResident(ctx, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/residents/:id',
    {
      schema: {
        tags,
        summary: 'Edit a resident (same checks as import); the colour is evaluated again',
        params: Id,
        body: Type.Object(
          {
            ...ResidentFields,
            householdId: Type.Optional(Type.Integer({ minimum: 1 })),
            status: Type.Optional(StringEnum(RESIDENT_STATUSES)),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.updateResident(ctx, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/residents/:id/reveal',
    {
      schema: {
        tags,
        summary: "Reveal a resident's full ID number or phones (audited)",
        params: Id,
        body: Type.Object(
          { field: StringEnum(['idNumber', 'phones'] as const), reason: Type.Optional(Str(200)) },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.revealResident(ctx, actorOf(req), req.params.id, req.body.field, req.body.reason),
  );

  app.post(
    '/api/residents/:id/colour',
    {
      schema: {
        tags,
        summary: 'Override the colour by hand with a reason (colour null lifts the override)',
        params: Id,
        body: Type.Object(
          { colour: Type.Union([Colour, Type.Null()]), reason: Str(500) },
          { additionalProperties: false },
        ),
      },
    },
    (req) => service.overrideColour(ctx, actorOf(req), req.params.id, req.body),
  );

  app.get(
    '/api/households/:id',
    { schema: { tags, summary: 'A household with members and surveys', params: Id } },
    (req) => households.getHousehold(ctx, actorOf(req), req.params.id),
  );

  app.patch(
    '/api/households/:id',
    {
      schema: {
        tags,
        summary: 'Edit a household (moving it to another grid moves its members)',
        params: Id,
        body: Type.Object(
          {
            address: Type.Optional(Str(200)),
            houseNumber: Type.Optional(Nullable(Str(50))),
            status: Type.Optional(StringEnum(HOUSEHOLD_STATUSES)),
            note: Type.Optional(Nullable(Str(1000))),
            gridId: Type.Optional(Type.Integer({ minimum: 1 })),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => households.updateHousehold(ctx, actorOf(req), req.params.id, req.body),
  );

  app.post(
    '/api/households/:id/surveys',
    {
      schema: {
        tags,
        summary: 'Record a door-to-door survey of the household (敲门行动)',
        params: Id,
        body: Type.Object(
          {
            membersConfirmed: Type.Integer({ minimum: 0, maximum: 100 }),
            membersAdded: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            membersMovedOut: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
            colour: Type.Optional(Type.Union([Colour, Type.Null()])),
            note: Type.Optional(Nullable(Str(1000))),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await households.recordSurvey(ctx, actorOf(req), req.params.id, req.body)),
  );

  const Stale = Type.Object({
    staleDays: Type.Integer({ minimum: 1, maximum: 3650, default: 30 }),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  });
  app.get(
    '/api/regions/:id/survey-coverage',
    { schema: { tags, summary: 'Survey coverage per child region', params: Id, querystring: Stale } },
    (req) => households.surveyCoverage(ctx, actorOf(req), req.params.id, req.query.staleDays),
  );
  app.get(
    '/api/regions/:id/households-to-survey',
    {
      schema: { tags, summary: 'Households never surveyed or not recently', params: Id, querystring: Stale },
    },
    (req) =>
      households.householdsToSurvey(ctx, actorOf(req), req.params.id, req.query.staleDays, req.query.limit),
  );

  app.get(
    '/api/regions/:id/categories',
    {
      schema: {
        tags,
        summary:
          'Key-population categories in force: the national ones and the county’s (retired ones marked)',
        params: Id,
      },
    },
    (req) => categories.listCategories(ctx, actorOf(req), req.params.id),
  );
  const CategoryFields = {
    nameZh: Str(30),
    nameEn: Str(60),
    key: Type.Boolean(),
    synonyms: Type.Array(Str(30), { maxItems: 30 }),
  };
  app.post(
    '/api/regions/:id/categories',
    {
      schema: {
        tags,
        summary: 'Add a county key-population category (the county of the region); audited',
        params: Id,
        body: Type.Object(
          {
            ...CategoryFields,
            key: Type.Optional(CategoryFields.key),
            synonyms: Type.Optional(CategoryFields.synonyms),
            code: Type.Optional(Str(40)),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) =>
      reply.code(201).send(await categories.addCategory(ctx, actorOf(req), req.params.id, req.body)),
  );
  app.patch(
    '/api/regions/:id/categories/:code',
    {
      schema: {
        tags,
        summary: 'Rename a county category, change its synonyms or key flag, retire or restore it; audited',
        params: Type.Object({ id: Type.Integer({ minimum: 1 }), code: Str(40) }),
        body: Type.Object(
          {
            nameZh: Type.Optional(CategoryFields.nameZh),
            nameEn: Type.Optional(CategoryFields.nameEn),
            key: Type.Optional(CategoryFields.key),
            synonyms: Type.Optional(CategoryFields.synonyms),
            active: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    (req) => categories.updateCategory(ctx, actorOf(req), req.params.id, req.params.code, req.body),
  );

  app.get(
    '/api/regions/:id/colour-rules',
    { schema: { tags, summary: "The county's colour rules", params: Id } },
    (req) => rulesets.getRules(ctx, actorOf(req), req.params.id),
  );
  app.post(
    '/api/regions/:id/colour-rules/preview',
    {
      schema: {
        tags,
        summary: 'How many residents candidate rules would move',
        params: Id,
        body: Type.Object({ rules: Type.Unknown() }),
      },
    },
    (req) => rulesets.previewRules(ctx, actorOf(req), req.params.id, req.body.rules),
  );
  app.put(
    '/api/regions/:id/colour-rules',
    {
      schema: {
        tags,
        summary: 'Save the county colour rules and re-colour its residents',
        params: Id,
        body: Type.Object({ rules: Type.Unknown() }),
      },
    },
    (req) => rulesets.saveRules(ctx, actorOf(req), req.params.id, req.body.rules),
  );
};
