#!/usr/bin/env node
// A portal's adapter in JavaScript: it answers mot_cua's conformance vectors by calling the
// HTTP service (`mot-cua serve`), so a team can check the service, or its own port of the rules,
// with `mot-cua conformance run --command "node examples/06_http_client.js" --jsonl`.
//
// Reads one request per line on standard input, {"id", "operation", "input"}, and writes one
// JSON answer per line: the endpoint's body, or {"error": {...}} (the problem's error object,
// the same object `mot-cua ... --json` prints) for a 4xx answer.
//
// Environment: MOT_CUA_URL (default http://127.0.0.1:8000). Node 18 or later (global fetch).
// Without standard input (a terminal), it prints one due date as a demonstration.
"use strict";

const BASE = (process.env.MOT_CUA_URL || "http://127.0.0.1:8000").replace(/\/$/, "");

// operation -> [method, path(input), body(input)]
const ENDPOINTS = {
  due: (input) => ["POST", "/v1/due", input],
  calendar_year: (input) => [
    "GET",
    `/v1/calendar/${encodeURIComponent(input.year)}` +
      (input.culture_day === false ? "?culture_day=false" : ""),
    null,
  ],
  explain_day: (input) => [
    "GET",
    `/v1/calendar/days/${encodeURIComponent(input.date)}` +
      (input.culture_day === false ? "?culture_day=false" : ""),
    null,
  ],
  validate_history: (input) => ["POST", "/v1/histories:validate", input],
  replay: (input) => ["POST", "/v1/histories:replay", input],
  route_plan: (input) => ["POST", "/v1/routes:plan", input],
  route_track: (input) => ["POST", "/v1/routes:track", input],
};

async function answer(request) {
  const endpoint = ENDPOINTS[request.operation];
  if (!endpoint) {
    return { error: { type: "unsupported_operation", message: `no endpoint for ${request.operation}` } };
  }
  const [method, path, body] = endpoint(request.input);
  const response = await fetch(BASE + path, {
    method,
    headers: body ? { "content-type": "application/json" } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const data = await response.json();
  const type = response.headers.get("content-type") || "";
  if (type.startsWith("application/problem+json")) {
    return { error: data.error };
  }
  return data;
}

async function main() {
  if (process.stdin.isTTY) {
    const due = await answer({
      operation: "due",
      input: { received: "2025-04-25T10:00+07:00", limit: "3 ngày làm việc" },
    });
    console.log(`due ${due.due_at} (deemed receipt ${due.deemed_receipt})`);
    return;
  }
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let out;
    try {
      out = await answer(JSON.parse(line));
    } catch (err) {
      out = { error: { type: "adapter", message: String(err) } };
    }
    process.stdout.write(JSON.stringify(out) + "\n");
  }
}

main().catch((err) => {
  console.error(`06_http_client: ${err}`);
  process.exit(1);
});
