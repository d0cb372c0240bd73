/* The example's device state (device_state.c). */
#ifndef DEVICE_STATE_EXAMPLE_H
#define DEVICE_STATE_EXAMPLE_H

/* 0: the author was restored from flash and published; 1: first boot, state saved, restart the
 * chip; -1: failure (printed). */
int device_state_example(void);

#endif
