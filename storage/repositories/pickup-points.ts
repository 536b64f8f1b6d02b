import type { Kysely, Selectable } from 'kysely';
import type { NewPickupPoint, PickupPointRepository } from '../../catalog/ports.ts';
import type { PickupPoint, PickupPointKind, WeeklyWindow } from '../../catalog/types.ts';
import { sortByGerman } from '../codec.ts';
import type { PickupPointRow, Schema } from '../schema.ts';

function toPickupPoint(row: Selectable<PickupPointRow>): PickupPoint {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind as PickupPointKind,
    address: row.address,
    postcode: row.postcode,
    place: row.place,
    lat: row.lat,
    lon: row.lon,
    windows: JSON.parse(row.windows) as WeeklyWindow[],
    vanRoute: row.van_route,
    routePosition: row.route_position,
  };
}

/** Farm shops, village stores and van stops; opening windows kept as JSON text. */
export function createPickupPointRepository(db: Kysely<Schema>): PickupPointRepository {
  return {
    async add(input: NewPickupPoint) {
      const row = await db
        .insertInto('pickup_points')
        .values({
          name: input.name,
          kind: input.kind,
          address: input.address,
          postcode: input.postcode,
          place: input.place,
          lat: input.lat,
          lon: input.lon,
          windows: JSON.stringify(input.windows),
          van_route: input.vanRoute ?? null,
          route_position: input.routePosition ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPickupPoint(row);
    },
    async get(id) {
      const row = await db.selectFrom('pickup_points').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toPickupPoint(row) : null;
    },
    async list() {
      const rows = await db.selectFrom('pickup_points').selectAll().orderBy('id').execute();
      return sortByGerman(rows.map(toPickupPoint), (point) => point.name);
    },
  };
}
