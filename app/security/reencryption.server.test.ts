import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { REENCRYPTED_COLUMNS } from "./reencryption.server";

describe("the re-encryption job's reach", () => {
  it("rewrites every column that holds a secret, so no new one is added that would keep an old key alive", () => {
    const secretColumns = Prisma.dmmf.datamodel.models.flatMap((model) =>
      model.fields.filter((field) => /Ciphertext$|Token$|secret|apiKey$/i.test(field.name)).map((field) => `${model.name}.${field.name}`),
    );
    expect([...REENCRYPTED_COLUMNS].sort()).toEqual(secretColumns.sort());
  });
});
