import { env, SELF } from "cloudflare:test";
import { serviceConformance } from "@edgeformers/server/testing";
import { describe } from "vitest";
import app from "../src/index.js";

describe("tokenize worker inside workerd", () => {
  serviceConformance({
    service: "tokenize",
    fetch: (path, init) => SELF.fetch(`https://tokenize.test${path}`, init),
    fetchWithKeys: (keys) => (path, init) => app.request(path, init, { ...env, API_KEYS: keys }),
  });
});
