import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpstreamError } from "../../lib/http/index.js";
import { getWixData } from "../../lib/integrations/wix/index.js";
import type { Services } from "../../lib/services.js";
import { useMsw } from "../helpers/msw.js";
import { createTestServices } from "../helpers/services.js";
import { FAST, WIX_ENV, recorder, wixError } from "./wix-fixtures.js";

const server = useMsw();
let services: Services;
beforeAll(async () => {
  services = await createTestServices({ ...WIX_ENV, ...FAST, WIX_RETRY_ATTEMPTS: "2" });
});
afterAll(async () => {
  await services.store.close();
});

const item = (id: string, data: Record<string, unknown>) => ({
  id,
  dataCollectionId: "Leads",
  data: { _id: id, _owner: "0a0b0c0d-owner", _createdDate: { $date: "2026-11-25T10:00:00.000Z" }, _updatedDate: { $date: "2026-11-25T10:00:00.000Z" }, ...data },
});

describe("Wix Data v2", () => {
  it("queries items with filter, sort, paging and fields in the request body", async () => {
    const rec = recorder();
    server.use(rec.on("post", "/wix-data/v2/items/query", () => ({ dataItems: [item("i1", { email: "a@b.fr" })], pagingMetadata: { count: 1, offset: 0, total: 1, tooManyToCount: false } })));
    const items = await getWixData(services).queryItems("Leads", {
      filter: { email: { $eq: "a@b.fr" } },
      sort: [{ fieldName: "_createdDate", order: "DESC" }],
      limit: 5000,
      fields: ["email"],
    });

    expect(rec.seen[0]!.body).toEqual({
      dataCollectionId: "Leads",
      query: { filter: { email: { $eq: "a@b.fr" } }, sort: [{ fieldName: "_createdDate", order: "DESC" }], paging: { limit: 1000 }, fields: ["email"] },
    });
    expect(rec.seen[0]!.headers.get("wix-site-id")).toBe(WIX_ENV.WIX_SITE_ID);
    expect(items).toEqual([{ id: "i1", dataCollectionId: "Leads", data: expect.objectContaining({ _id: "i1", email: "a@b.fr" }) }]);
  });

  it("inserts an item with dataCollectionId and dataItem.data, and never retries the insert", async () => {
    const rec = recorder();
    server.use(rec.on("post", "/wix-data/v2/items", (_r, n) => (n === 1 ? { dataItem: item("i2", { email: "c@d.fr", source: "chat" }) } : wixError(503, "UNAVAILABLE"))));
    const created = await getWixData(services).insertItem("Leads", { email: "c@d.fr", source: "chat" });
    expect(rec.seen[0]!.body).toEqual({ dataCollectionId: "Leads", dataItem: { data: { email: "c@d.fr", source: "chat" } } });
    expect(created.id).toBe("i2");

    await expect(getWixData(services).insertItem("Leads", { email: "e@f.fr" })).rejects.toBeInstanceOf(UpstreamError);
    expect(rec.seen).toHaveLength(2); // the failed insert was sent once
  });

  it("replaces an item with PUT /wix-data/v2/items/{id}", async () => {
    const rec = recorder();
    server.use(rec.on("put", "/wix-data/v2/items/i3", () => ({ dataItem: item("i3", { email: "g@h.fr", status: "won" }) })));
    const updated = await getWixData(services).updateItem("Leads", "i3", { email: "g@h.fr", status: "won" });
    expect(rec.seen[0]!.body).toEqual({ dataCollectionId: "Leads", dataItem: { id: "i3", data: { email: "g@h.fr", status: "won" } } });
    expect(updated.data).toMatchObject({ status: "won" });
  });
});
