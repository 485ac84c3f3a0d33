// Every scenario `npm run bench` knows, in the order they run. A new scenario (for
// example the Redis scale-out comparison) is a module exporting a `Scenario`
// (bench/scenario.ts), added here; it may bring its own targets.

import type { Scenario } from '../scenario.ts';
import { fanout } from './fanout.ts';
import { idleSubscribers } from './idle-subscribers.ts';
import { reconnectStorm } from './reconnect-storm.ts';
import { replay } from './replay.ts';
import { saturation } from './saturation.ts';
import { scaleOut } from './scale-out.ts';
import { serverIdle } from './server-idle.ts';

export const SCENARIOS: readonly Scenario[] = [fanout, saturation, idleSubscribers, replay, reconnectStorm, serverIdle, scaleOut];
