// Electron's Notification as the app's NativeNotification. The presenter
// (main/app/notifications/notification-presenter.ts) holds the returned object, and through it
// this Notification, until it closes.
import { Notification } from 'electron';
import type { CreateNativeNotification } from '../app/notifications/notification-presenter.ts';

export const createElectronNotification: CreateNativeNotification = (options) => {
  const notification = new Notification({
    title: options.title,
    body: options.body,
    urgency: options.urgency,
    timeoutType: options.timeoutType,
  });
  return {
    show: () => notification.show(),
    onClick: (listener) => notification.on('click', () => listener()),
    onClose: (listener) => notification.on('close', () => listener()),
    onFailed: (listener) => notification.on('failed', (_event, error) => listener(error)),
  };
};

export function notificationsSupported(): boolean {
  return Notification.isSupported();
}
