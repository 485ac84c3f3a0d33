// Tags that are emoji shortcodes show as the emoji, as the ntfy apps do (a publisher
// tags `warning,backup` and reads ⚠️ and "backup"). The common shortcodes only: an
// unknown one stays a word.

const EMOJI: Record<string, string> = {
  '+1': '👍', thumbsup: '👍', '-1': '👎', thumbsdown: '👎', ok_hand: '👌', clap: '👏', wave: '👋', pray: '🙏', muscle: '💪', eyes: '👀',
  warning: '⚠️', rotating_light: '🚨', no_entry: '⛔', no_entry_sign: '🚫', x: '❌', heavy_check_mark: '✔️', white_check_mark: '✅',
  ballot_box_with_check: '☑️', exclamation: '❗', bangbang: '‼️', question: '❓', information_source: 'ℹ️', skull: '💀', skull_and_crossbones: '☠️',
  fire: '🔥', boom: '💥', zap: '⚡', bug: '🐛', construction: '🚧', tada: '🎉', partying_face: '🥳', sparkles: '✨', star: '⭐', trophy: '🏆',
  rocket: '🚀', checkered_flag: '🏁', triangular_flag_on_post: '🚩', bell: '🔔', no_bell: '🔕', loudspeaker: '📢', mega: '📣',
  computer: '💻', desktop_computer: '🖥️', keyboard: '⌨️', cd: '💿', dvd: '📀', floppy_disk: '💾', package: '📦', hammer: '🔨',
  wrench: '🔧', hammer_and_wrench: '🛠️', gear: '⚙️', lock: '🔒', unlock: '🔓', key: '🔑', shield: '🛡️', link: '🔗', paperclip: '📎',
  chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', bar_chart: '📊', hourglass: '⌛', hourglass_flowing_sand: '⏳',
  stopwatch: '⏱️', alarm_clock: '⏰', timer_clock: '⏲️', calendar: '📆', date: '📅', email: '📧', envelope: '✉️', incoming_envelope: '📨',
  mailbox: '📫', inbox_tray: '📥', outbox_tray: '📤', memo: '📝', pencil: '✏️', clipboard: '📋', pushpin: '📌', bookmark: '🔖',
  books: '📚', newspaper: '📰', cloud: '☁️', sunny: '☀️', umbrella: '☔', snowflake: '❄️', thermometer: '🌡️', droplet: '💧',
  battery: '🔋', electric_plug: '🔌', bulb: '💡', satellite: '📡', globe_with_meridians: '🌐', house: '🏠', office: '🏢',
  moneybag: '💰', dollar: '💵', money_with_wings: '💸', credit_card: '💳', shopping_cart: '🛒', truck: '🚚', car: '🚗',
  heart: '❤️', broken_heart: '💔', smile: '😄', grinning: '😀', joy: '😂', wink: '😉', thinking: '🤔', cry: '😢', sob: '😭',
  rage: '😡', scream: '😱', sleeping: '😴', robot: '🤖', ghost: '👻', alien: '👽', cat: '🐱', dog: '🐶', penguin: '🐧',
  red_circle: '🔴', orange_circle: '🟠', yellow_circle: '🟡', green_circle: '🟢', large_blue_circle: '🔵', blue_circle: '🔵',
  white_circle: '⚪', black_circle: '⚫', arrow_up: '⬆️', arrow_down: '⬇️', repeat: '🔁', recycle: '♻️', traffic_light: '🚥',
  vertical_traffic_light: '🚦', stop_sign: '🛑', test_tube: '🧪', microscope: '🔬', syringe: '💉', pill: '💊',
};

/** The emoji a tag stands for, or null for a plain tag. */
export function tagEmoji(tag: string): string | null {
  return EMOJI[tag.toLowerCase()] ?? null;
}

/** A message's tags split as the window shows them: emoji first, then the words. */
export function splitTags(tags: readonly string[]): { emoji: string[]; words: string[] } {
  const emoji: string[] = [];
  const words: string[] = [];
  for (const tag of tags) {
    const found = tagEmoji(tag);
    if (found) emoji.push(found);
    else words.push(tag);
  }
  return { emoji, words };
}
