import { describe, expect, it } from "vitest";
import { ModelCache } from "../src/index.js";

const model = (name: string, bytes: number) => ({ name, bytes });

describe("ModelCache", () => {
  it("keeps models within the budget, dropping the least recently used first", async () => {
    const cache = new ModelCache<{ name: string; bytes: number }>(100, (m) => m.bytes);
    let loads = 0;
    const load = (name: string, bytes: number) => () => {
      loads++;
      return Promise.resolve(model(name, bytes));
    };
    await cache.get("a", load("a", 40));
    await cache.get("b", load("b", 40));
    await cache.get("a", load("a", 40)); // a is now the most recent
    await cache.get("c", load("c", 40)); // 120 > 100: b (least recent) goes
    await Promise.resolve();
    expect(cache.keys).toEqual(["a", "c"]);
    expect(cache.heldBytes).toBe(80);
    expect(loads).toBe(3);
    await cache.get("b", load("b", 40)); // reloaded; a is now the oldest and goes
    await Promise.resolve();
    expect(cache.keys).toEqual(["c", "b"]);
    expect(loads).toBe(4);
  });

  it("keeps a model larger than the budget alone rather than failing", async () => {
    const cache = new ModelCache<{ name: string; bytes: number }>(100, (m) => m.bytes);
    await cache.get("small", () => Promise.resolve(model("small", 10)));
    await cache.get("huge", () => Promise.resolve(model("huge", 150)));
    await Promise.resolve();
    expect(cache.keys).toEqual(["huge"]);
  });

  it("shares concurrent loads and forgets failures", async () => {
    const cache = new ModelCache<{ name: string; bytes: number }>(100, (m) => m.bytes);
    let loads = 0;
    const slow = () => {
      loads++;
      return new Promise<{ name: string; bytes: number }>((resolve) => setTimeout(() => resolve(model("m", 1)), 5));
    };
    await Promise.all([cache.get("m", slow), cache.get("m", slow)]);
    expect(loads).toBe(1);
    await expect(cache.get("bad", () => Promise.reject(new Error("no such file")))).rejects.toThrow("no such file");
    expect(cache.keys).toEqual(["m"]);
  });
});
