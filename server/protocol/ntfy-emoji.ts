// ntfy's tags that are emoji short codes, shown as emoji (ntfy docs, "Tags & emojis":
// a tag that matches a short code of its emoji list becomes that emoji in front of the
// title, and the other tags are listed as they are). ntfy knows 1,855 codes (GitHub's
// gemoji list, test/fixtures/ntfy/emoji.json); this table holds the ones notifications
// use most (checks, warnings, status colours, devices, weather, celebrations), each
// with the emoji ntfy shows for it (`pencil` is its memo 📝). A tag not here stays a
// plain tag. The dashboard shows tags the same way (any case there: `Warning` too).
// Free of Node and DOM APIs: the desktop core and the renderer may use it.

const EMOJI: Readonly<Record<string, string>> = {
  '+1': '👍', '-1': '👎', white_check_mark: '✅', heavy_check_mark: '✔️', ballot_box_with_check: '☑️', x: '❌',
  negative_squared_cross_mark: '❎', warning: '⚠️', rotating_light: '🚨', no_entry: '⛔', no_entry_sign: '🚫',
  stop_sign: '🛑', sos: '🆘', exclamation: '❗', heavy_exclamation_mark: '❗', question: '❓', grey_question: '❔',
  information_source: 'ℹ️', bangbang: '‼️', red_circle: '🔴', orange_circle: '🟠', yellow_circle: '🟡',
  green_circle: '🟢', large_blue_circle: '🔵', purple_circle: '🟣', white_circle: '⚪', black_circle: '⚫',
  tada: '🎉', partying_face: '🥳', confetti_ball: '🎊', trophy: '🏆', medal_sports: '🏅', '1st_place_medal': '🥇',
  checkered_flag: '🏁', triangular_flag_on_post: '🚩', rocket: '🚀', sparkles: '✨', star: '⭐', star2: '🌟',
  fire: '🔥', boom: '💥', zap: '⚡', bulb: '💡', skull: '💀', skull_and_crossbones: '☠️', ghost: '👻', bug: '🐛',
  robot: '🤖', alien: '👽', smile: '😄', smiley: '😃', grinning: '😀', joy: '😂', laughing: '😆', wink: '😉',
  sunglasses: '😎', thinking: '🤔', neutral_face: '😐', confused: '😕', worried: '😟', disappointed: '😞', cry: '😢',
  sob: '😭', angry: '😠', rage: '😡', scream: '😱', fearful: '😨', sweat_smile: '😅', sleeping: '😴',
  face_with_head_bandage: '🤕', mask: '😷', nerd_face: '🤓', exploding_head: '🤯', eyes: '👀', see_no_evil: '🙈',
  wave: '👋', clap: '👏', pray: '🙏', muscle: '💪', ok_hand: '👌', raised_hand: '✋', point_right: '👉',
  thumbsup: '👍', thumbsdown: '👎', heart: '❤️', broken_heart: '💔', green_heart: '💚', blue_heart: '💙', bell: '🔔',
  no_bell: '🔕', loudspeaker: '📢', mega: '📣', loud_sound: '🔊', mute: '🔇', speaker: '🔈', computer: '💻',
  desktop_computer: '🖥️', keyboard: '⌨️', printer: '🖨️', iphone: '📱', telephone_receiver: '📞',
  floppy_disk: '💾', cd: '💿', dvd: '📀', minidisc: '💽', battery: '🔋', electric_plug: '🔌', satellite: '📡',
  globe_with_meridians: '🌐', link: '🔗', lock: '🔒', unlock: '🔓', key: '🔑', closed_lock_with_key: '🔐',
  shield: '🛡️', gear: '⚙️', wrench: '🔧', hammer: '🔨', hammer_and_wrench: '🛠️', nut_and_bolt: '🔩', toolbox: '🧰',
  construction: '🚧', package: '📦', inbox_tray: '📥', outbox_tray: '📤', email: '📧', envelope: '✉️',
  incoming_envelope: '📨', mailbox: '📫', memo: '📝', pencil2: '✏️', clipboard: '📋', pushpin: '📌', paperclip: '📎',
  file_folder: '📁', open_file_folder: '📂', wastebasket: '🗑️', calendar: '📆', date: '📅',
  chart_with_upwards_trend: '📈', chart_with_downwards_trend: '📉', bar_chart: '📊', mag: '🔍', hourglass: '⌛',
  hourglass_flowing_sand: '⏳', stopwatch: '⏱️', alarm_clock: '⏰', timer_clock: '⏲️', watch: '⌚', clock1: '🕐',
  clock3: '🕒', arrows_counterclockwise: '🔄', repeat: '🔁', recycle: '♻️', arrow_up: '⬆️', arrow_down: '⬇️',
  arrow_right: '➡️', arrow_left: '⬅️', up: '🆙', new: '🆕', free: '🆓', cool: '🆒', heavy_plus_sign: '➕',
  heavy_minus_sign: '➖', house: '🏠', office: '🏢', hospital: '🏥', factory: '🏭', sunny: '☀️', cloud: '☁️',
  partly_sunny: '⛅', cloud_with_rain: '🌧️', cloud_with_lightning: '🌩️', snowflake: '❄️', droplet: '💧',
  umbrella: '☔', thermometer: '🌡️', rainbow: '🌈', ocean: '🌊', dog: '🐶', cat: '🐱', cow: '🐮', pig: '🐷',
  chicken: '🐔', bird: '🐦', penguin: '🐧', fish: '🐟', whale: '🐳', rabbit: '🐰', mouse: '🐭', snake: '🐍',
  money_with_wings: '💸', moneybag: '💰', dollar: '💵', credit_card: '💳', shopping_cart: '🛒', gift: '🎁', car: '🚗',
  truck: '🚚', bus: '🚌', airplane: '✈️', ship: '🚢', bike: '🚲', coffee: '☕', beer: '🍺', pizza: '🍕', cake: '🍰',
  soccer: '⚽', basketball: '🏀', video_game: '🎮', lady_beetle: '🐞', cockroach: '🪳', bee: '🐝',
  pencil: '📝', bookmark: '🔖', books: '📚', newspaper: '📰', traffic_light: '🚥',
  vertical_traffic_light: '🚦', test_tube: '🧪', microscope: '🔬', syringe: '💉', pill: '💊',
};

/** The short codes of the table, in a fresh array (the tests check each against ntfy's list). */
export function knownShortCodes(): readonly string[] {
  return Object.keys(EMOJI);
}

/** The emoji of an ntfy tag that is a known short code (`warning` -> ⚠️), else undefined. */
export function emojiOfTag(tag: string): string | undefined {
  return Object.hasOwn(EMOJI, tag) ? EMOJI[tag] : undefined;
}

/** The emoji a tag stands for in any case (`Rotating_Light` -> 🚨), or null for a plain tag. */
export function tagEmoji(tag: string): string | null {
  return emojiOfTag(tag.toLowerCase()) ?? null;
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
