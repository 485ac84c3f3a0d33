// Herald's two endpoints built on better-sse (https://github.com/MatthewWid/better-sse):
// one Channel per topic, a Session per connection, `channel.broadcast` to publish. It
// is the well-kept library a Node developer would reach for, used the way its README
// shows; better-sse serializes the data and writes it for each session on its own.
//
//   node bench/reference/better-sse-server.ts --port 0

import http from 'node:http';
import { type Channel, type Session, createChannel, createSession } from 'better-sse';
import { notifyData, readMessage, sendJson, serve, topicOfPublish, topicsOfSubscribe } from './reference-http.ts';

const channels = new Map<string, Channel>();
const sessions = new Set<Session>();
let lastId = 0;

function channelOf(topic: string): Channel {
  let channel = channels.get(topic);
  if (channel === undefined) channels.set(topic, (channel = createChannel()));
  return channel;
}

async function subscribe(url: URL, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const topics = topicsOfSubscribe(url);
  if (topics.length === 0) return sendJson(response, 400, { error: 'expected ?topics=a,b' });
  const session = await createSession(request, response, { retry: 3000, keepAlive: 15_000 });
  sessions.add(session);
  session.once('disconnected', () => sessions.delete(session));
  for (const topic of topics) channelOf(topic).register(session);
}

async function publish(topic: string, request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  const body = await readMessage(request, response);
  if (body === null) return;
  const id = String(++lastId);
  channels.get(topic)?.broadcast(notifyData(topic, body), 'notify', { eventId: id });
  sendJson(response, 201, { id, topic });
}

const server = http.createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (request.method === 'GET' && url.pathname === '/events') {
    void subscribe(url, request, response);
    return;
  }
  const topic = request.method === 'POST' ? topicOfPublish(url.pathname) : null;
  if (topic !== null) {
    void publish(topic, request, response);
    return;
  }
  sendJson(response, 404, { error: `no route for ${request.method} ${url.pathname}` });
});

serve(server, () => {
  sessions.clear();
});
