// The desktop core's public surface: Electron-free client logic shared by the app
// (main/shell, main/electron) and `herald watch`. Import from here or from a module.

export { systemClock, localCalendar, utcCalendar, type Clock, type Calendar } from './clock.ts';
export { SubscriptionManager, DEFAULT_HEARTBEAT_MS, type ServerSubscription, type SubscriptionEvents } from './subscriptions/subscription-manager.ts';
export type { ConnectionState, TopicState, ServerSnapshot } from './subscriptions/subscription-state.ts';
export { memoryResumePoints, type ResumePoints } from './subscriptions/resume-points.ts';
export { NotificationPolicy, type PolicySettings, type Verdict, type SuppressReason } from './policy/notification-policy.ts';
export type { DesktopNotification, Urgency } from './policy/desktop-notification.ts';
export { isPaused, pauseFor, pauseUntilTomorrow, pauseUntilResumed, notPaused, describePause } from './policy/pause.ts';
export { HistoryStore, type HistoryEntry, type HistoryPage, type HistoryOptions } from './history/history-store.ts';
export type { HistoryQuery } from './history/history-query.ts';
export { TopicBoard, type TopicLevel, type RecentEvent } from './tray/topic-board.ts';
export { trayState, type TrayState, type TrayLevel, type TrayInput } from './tray/tray-state.ts';
export { defaultSettings, settingsSchema, settingsAjvOptions, type Settings, type ServerSettings, type UpdateRule } from './settings/settings-schema.ts';
export { validateSettings, type SettingsProblem, type SettingsValidation } from './settings/settings-validator.ts';
export { NotificationDispatcher } from './notifier/notification-dispatcher.ts';
export { platformNotifier } from './notifier/platform-notifier.ts';
export type { Notifier } from './notifier/notifier.ts';
