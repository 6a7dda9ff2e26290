import { describe, expect, it } from "vitest";
import { SingleFlight } from "../src/index.js";

describe("SingleFlight", () => {
  it("shares one load between concurrent callers and reuses its result", async () => {
    const cache = new SingleFlight<number>();
    let loads = 0;
    const load = async () => {
      loads++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 42;
    };
    const results = await Promise.all([cache.get("a", load), cache.get("a", load), cache.get("a", load)]);
    expect(results).toEqual([42, 42, 42]);
    expect(await cache.get("a", load)).toBe(42);
    expect(loads).toBe(1);
  });

  it("forgets a failed load so the next caller retries", async () => {
    const cache = new SingleFlight<string>();
    let attempt = 0;
    const load = async () => {
      attempt++;
      if (attempt === 1) throw new Error("R2 hiccup");
      return "ok";
    };
    await expect(cache.get("m", load)).rejects.toThrow("R2 hiccup");
    expect(cache.size).toBe(0);
    expect(await cache.get("m", load)).toBe("ok");
    expect(attempt).toBe(2);
  });
});
