// Tags for the fake utilityProcess's messages on Node's IPC channel
// (utility-process.ts on the parent side, utility-process-host.ts in the child).
export const TO_CHILD = 'fake-utility-process:to-child';
export const TO_PARENT = 'fake-utility-process:to-parent';
