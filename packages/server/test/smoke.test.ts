import { describe, expect, it } from "vitest";
import { hello } from "../src/index.js";
describe("smoke", () => {
  it("runs in workerd", () => {
    expect(typeof (globalThis as { WebSocketPair?: unknown }).WebSocketPair).toBe("function");
    expect(hello()).toBe("hi");
  });
});
