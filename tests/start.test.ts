import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The `curl` lines of the README's "Apps and routes" section, as fetch arguments. */
function readmeCurlExamples(): { path: string; init: RequestInit }[] {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Apps and routes"), readme.indexOf("## Use a real model"));
  const commands = section
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((line) => line.startsWith("curl "));
  return commands.map((command) => {
    const path = /127\.0\.0\.1:8787(\S+)/.exec(command)?.[1] ?? "/";
    const headers = Object.fromEntries(
      [...command.matchAll(/-H '([^:]+):\s*([^']*)'/g)].map((m) => [m[1] as string, m[2] as string]),
    );
    const data = /-d '(.*)'\s*$/.exec(command)?.[1];
    return { path, init: data === undefined ? {} : { method: "POST", headers, body: data } };
  });
}

/** Waits until the child prints the URL it serves on. */
async function servedUrl(child: ChildProcess): Promise<string> {
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not get ready in 60 s:\n${output}`)), 60_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /is running \([^)]*\) at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] as string);
      }
    });
    child.once("exit", (code) => reject(new Error(`npm start exited early (${code}):\n${output}`)));
  });
}

describe("npm start", () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child && child.exitCode === null) child.kill("SIGKILL");
  });

  it("serves /health on 127.0.0.1 within 60 s, answers every README example, and stops cleanly on Ctrl-C", async () => {
    // PORT=0 lets the OS choose, so this never collides with a developer's running stack.
    child = spawn(process.execPath, ["scripts/start.mjs"], {
      cwd: root,
      env: { ...process.env, PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const url = await servedUrl(child);
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ok",
      services: { tokenize: "ok", embed: "ok", classify: "ok" },
    });

    // Every curl example of the README's routes section answers 200 with a body.
    const examples = readmeCurlExamples();
    expect(examples.length).toBeGreaterThanOrEqual(20);
    for (const example of examples) {
      const res = await fetch(`${url}${example.path}`, example.init);
      const body = await res.text();
      expect(res.status, `${example.path} ${String(example.init.body ?? "")} → ${body.slice(0, 300)}`).toBe(200);
      expect(body.length).toBeGreaterThan(0);
    }

    child.kill("SIGINT");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 120_000);
});
