// Physical screen sizes of iPhone model identifiers (public hardware specifications). An SDK that
// reports `iPhone14,5` with a screen of another size is lying about one of them.
export const IPHONE_SCREENS: Readonly<Record<string, readonly [number, number]>> = {
  'iphone12,1': [828, 1792],
  'iphone12,3': [1125, 2436],
  'iphone12,5': [1242, 2688],
  'iphone12,8': [750, 1334],
  'iphone13,1': [1080, 2340],
  'iphone13,2': [1170, 2532],
  'iphone13,3': [1170, 2532],
  'iphone13,4': [1284, 2778],
  'iphone14,2': [1170, 2532],
  'iphone14,3': [1284, 2778],
  'iphone14,4': [1080, 2340],
  'iphone14,5': [1170, 2532],
  'iphone14,6': [750, 1334],
  'iphone14,7': [1170, 2532],
  'iphone14,8': [1284, 2778],
  'iphone15,2': [1179, 2556],
  'iphone15,3': [1290, 2796],
  'iphone15,4': [1179, 2556],
  'iphone15,5': [1290, 2796],
  'iphone16,1': [1179, 2556],
  'iphone16,2': [1290, 2796],
  'iphone17,1': [1206, 2622],
  'iphone17,2': [1320, 2868],
  'iphone17,3': [1179, 2556],
  'iphone17,4': [1290, 2796],
};

/**
 * Memory of iPhone model identifiers in GB (public hardware specifications). An SDK reports a little less
 * than this (the system keeps some), never more.
 */
export const IPHONE_MEMORY_GB: Readonly<Record<string, number>> = {
  'iphone12,1': 4, 'iphone12,3': 4, 'iphone12,5': 4, 'iphone12,8': 3,
  'iphone13,1': 4, 'iphone13,2': 4, 'iphone13,3': 6, 'iphone13,4': 6,
  'iphone14,2': 6, 'iphone14,3': 6, 'iphone14,4': 4, 'iphone14,5': 4, 'iphone14,6': 4, 'iphone14,7': 6, 'iphone14,8': 6,
  'iphone15,2': 6, 'iphone15,3': 6, 'iphone15,4': 6, 'iphone15,5': 6,
  'iphone16,1': 8, 'iphone16,2': 8,
  'iphone17,1': 8, 'iphone17,2': 8, 'iphone17,3': 8, 'iphone17,4': 8,
};
