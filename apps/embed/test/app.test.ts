import { env, SELF } from "cloudflare:test";
import { serviceConformance } from "@edgeformers/server/testing";
import { describe } from "vitest";
import app from "../src/index.js";

describe("embed worker inside workerd", () => {
  serviceConformance({
    service: "embed",
    fetch: (path, init) => SELF.fetch(`https://embed.test${path}`, init),
    fetchWithKeys: (keys) => (path, init) => app.request(path, init, { ...env, API_KEYS: keys }),
  });
});
