// The floor: the simplest SSE broadcaster plain `node:http` allows, with Herald's two
// endpoints (`GET /events?topics=`, `POST /topics/:topic`) and no replay, no auth, no
// persistence. Each event is encoded once and written to every subscriber's response
// separately (one `res.write` per frame per socket), as most hand-written servers do.
//
//   node bench/reference/node-http-server.ts --port 0

import http from 'node:http';
import { notifyData, readMessage, sendJson, serve, topicOfPublish, topicsOfSubscribe } from './reference-http.ts';

const HEARTBEAT_MS = 15_000;
const subscribersByTopic = new Map<string, Set<http.ServerResponse>>();
const everyone = new Set<http.ServerResponse>();
let lastId = 0;

function subscribe(url: URL, response: http.ServerResponse): void {
  const topics = topicsOfSubscribe(url);
  if (topics.length === 0) return sendJson(response, 400, { error: 'expected ?topics=a,b' });
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write('retry: 3000\n\n');
  everyone.add(response);
  for (const topic of topics) {
    let set = subscribersByTopic.get(topic);
    if (set === undefined) subscribersByTopic.set(topic, (set = new Set()));
    set.add(response);
  }
  response.on('close', () => {
    everyone.delete(response);
    for (const topic of topics) subscribersByTopic.get(topic)?.delete(response);
  });
}

async function publish(topic: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const body = await readMessage(request, response);
  if (body === null) return;
  const id = String(++lastId);
  const frame = `id: ${id}\nevent: notify\ndata: ${JSON.stringify(notifyData(topic, body))}\n\n`;
  for (const subscriber of subscribersByTopic.get(topic) ?? []) subscriber.write(frame);
  sendJson(response, 201, { id, topic });
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === '/events') return subscribe(url, response);
  const topic = request.method === 'POST' ? topicOfPublish(url.pathname) : null;
  if (topic !== null) {
    void publish(topic, request, response);
    return;
  }
  sendJson(response, 404, { error: `no route for ${request.method} ${url.pathname}` });
});

setInterval(() => {
  for (const subscriber of everyone) subscriber.write(': hb\n\n');
}, HEARTBEAT_MS).unref();

serve(server, () => {
  for (const subscriber of everyone) subscriber.end();
});
