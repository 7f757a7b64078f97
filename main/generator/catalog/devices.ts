// Real device models with attributes that belong together (GPU, screen, cores, memory), and the OS,
// browser and app versions that roll out over time. Spoofers get these combinations wrong; genuine
// phones get them right while their versions drift.

export interface PhoneModel {
  readonly platform: 'android' | 'ios';
  readonly marketing: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly gpuVendor: string;
  readonly gpuRenderer: string;
  /** CSS pixels and device pixel ratio, as the web layer reports them. */
  readonly screen: { readonly width: number; readonly height: number; readonly dpr: number };
  readonly cores: number;
  readonly memoryGb: number;
  /** Index into the OS version track the phone shipped with (it only moves forward). */
  readonly minOs: number;
  readonly weight: number;
}

const android = (marketing: string, model: string, manufacturer: string, gpuVendor: string, gpuRenderer: string, width: number, height: number, dpr: number, cores: number, memoryGb: number, minOs: number, weight: number): PhoneModel => ({
  platform: 'android', marketing, model, manufacturer, gpuVendor, gpuRenderer, screen: { width, height, dpr }, cores, memoryGb, minOs, weight,
});
const iphone = (marketing: string, model: string, width: number, height: number, dpr: number, memoryGb: number, minOs: number, weight: number): PhoneModel => ({
  platform: 'ios', marketing, model, manufacturer: 'Apple', gpuVendor: 'Apple Inc.', gpuRenderer: 'Apple GPU', screen: { width, height, dpr }, cores: 6, memoryGb, minOs, weight,
});

export const PHONE_MODELS: readonly PhoneModel[] = [
  android('Xiaomi 14', '23127PN0CC', 'Xiaomi', 'Qualcomm', 'Adreno (TM) 750', 393, 873, 3, 8, 12, 2, 6),
  android('Redmi Note 13 Pro', '23117RK66C', 'Xiaomi', 'Qualcomm', 'Adreno (TM) 710', 393, 873, 2.75, 8, 8, 1, 9),
  android('Redmi K70', '23113RKC6C', 'Xiaomi', 'Qualcomm', 'Adreno (TM) 740', 412, 915, 3.5, 8, 12, 2, 5),
  android('HUAWEI Mate 60 Pro', 'ALN-AL00', 'HUAWEI', 'HUAWEI', 'Maleoon 910', 412, 915, 3, 8, 12, 1, 7),
  android('HUAWEI nova 11', 'FOA-AL00', 'HUAWEI', 'Qualcomm', 'Adreno (TM) 642L', 393, 851, 2.75, 8, 8, 0, 6),
  android('HONOR 90', 'REA-AN00', 'HONOR', 'Qualcomm', 'Adreno (TM) 644', 412, 915, 3, 8, 12, 1, 6),
  android('OPPO Reno11', 'PJH110', 'OPPO', 'ARM', 'Mali-G610 MC6', 412, 915, 2.625, 8, 12, 2, 6),
  android('OPPO Find X7', 'PHZ110', 'OPPO', 'ARM', 'Immortalis-G720 MC12', 412, 915, 3.5, 8, 16, 2, 3),
  android('vivo X100', 'V2309A', 'vivo', 'ARM', 'Immortalis-G720 MC12', 412, 915, 3.5, 8, 16, 2, 4),
  android('vivo Y78', 'V2271A', 'vivo', 'Imagination Technologies', 'PowerVR B-Series BXM-8-256', 393, 873, 2.75, 8, 8, 1, 5),
  android('OnePlus 12', 'PJD110', 'OnePlus', 'Qualcomm', 'Adreno (TM) 750', 412, 919, 3.5, 8, 16, 2, 3),
  android('Samsung Galaxy S23', 'SM-S9110', 'samsung', 'Qualcomm', 'Adreno (TM) 740', 360, 780, 3, 8, 8, 1, 2),
  android('Redmi 12C', '22120RN86C', 'Xiaomi', 'ARM', 'Mali-G52 MC2', 393, 873, 1.75, 8, 4, 0, 5),
  iphone('iPhone 15 Pro', 'iPhone16,1', 393, 852, 3, 8, 2, 7),
  iphone('iPhone 15', 'iPhone15,4', 393, 852, 3, 6, 2, 6),
  iphone('iPhone 14', 'iPhone14,7', 390, 844, 3, 6, 1, 7),
  iphone('iPhone 13', 'iPhone14,5', 390, 844, 3, 4, 0, 8),
  iphone('iPhone 12', 'iPhone13,2', 390, 844, 3, 4, 0, 5),
  iphone('iPhone 11', 'iPhone12,1', 414, 896, 2, 4, 0, 4),
  iphone('iPhone SE (3rd generation)', 'iPhone14,6', 375, 667, 2, 4, 0, 2),
];

export interface DesktopModel {
  readonly os: 'windows' | 'mac';
  readonly gpuVendor: string;
  readonly gpuRenderer: string;
  readonly screens: readonly { readonly width: number; readonly height: number; readonly dpr: number }[];
  readonly cores: readonly number[];
  readonly memoryGb: readonly number[];
  readonly weight: number;
}

export const DESKTOP_MODELS: readonly DesktopModel[] = [
  { os: 'windows', gpuVendor: 'Google Inc. (NVIDIA)', gpuRenderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)', screens: [{ width: 1920, height: 1080, dpr: 1 }, { width: 2560, height: 1440, dpr: 1 }], cores: [12, 16], memoryGb: [8], weight: 3 },
  { os: 'windows', gpuVendor: 'Google Inc. (Intel)', gpuRenderer: 'ANGLE (Intel, Intel(R) UHD Graphics 630 Direct3D11 vs_5_0 ps_5_0, D3D11)', screens: [{ width: 1920, height: 1080, dpr: 1 }, { width: 1536, height: 864, dpr: 1.25 }], cores: [4, 8], memoryGb: [8], weight: 5 },
  { os: 'windows', gpuVendor: 'Google Inc. (Intel)', gpuRenderer: 'ANGLE (Intel, Intel(R) Iris(R) Xe Graphics Direct3D11 vs_5_0 ps_5_0, D3D11)', screens: [{ width: 1536, height: 864, dpr: 1.25 }, { width: 1280, height: 720, dpr: 1.5 }], cores: [8, 12], memoryGb: [8], weight: 4 },
  { os: 'windows', gpuVendor: 'Google Inc. (AMD)', gpuRenderer: 'ANGLE (AMD, AMD Radeon(TM) Graphics Direct3D11 vs_5_0 ps_5_0, D3D11)', screens: [{ width: 1920, height: 1080, dpr: 1 }], cores: [12, 16], memoryGb: [8], weight: 2 },
  { os: 'mac', gpuVendor: 'Apple Inc.', gpuRenderer: 'Apple M1', screens: [{ width: 1440, height: 900, dpr: 2 }, { width: 1470, height: 956, dpr: 2 }], cores: [8], memoryGb: [8], weight: 2 },
  { os: 'mac', gpuVendor: 'Apple Inc.', gpuRenderer: 'Apple M2', screens: [{ width: 1512, height: 982, dpr: 2 }, { width: 1470, height: 956, dpr: 2 }], cores: [8], memoryGb: [8], weight: 2 },
];

/** Emulator images as farms run them: desktop GPUs or translators behind a phone model name. */
export interface EmulatorImage {
  readonly name: string;
  readonly model: string;
  readonly manufacturer: string;
  readonly gpuVendor: string;
  readonly gpuRenderer: string;
  readonly screen: { readonly width: number; readonly height: number; readonly dpr: number };
  /** Whether the image is caught by the exporter's own emulator flag (hardened images are not). */
  readonly flagged: boolean;
}

export const EMULATOR_IMAGES: readonly EmulatorImage[] = [
  { name: 'Android Studio AVD', model: 'sdk_gphone64_x86_64', manufacturer: 'Google', gpuVendor: 'Google (Intel)', gpuRenderer: 'Android Emulator OpenGL ES Translator (Intel(R) UHD Graphics 630)', screen: { width: 411, height: 914, dpr: 2.625 }, flagged: true },
  { name: 'SwiftShader', model: 'sdk_gphone_x86', manufacturer: 'Google', gpuVendor: 'Google Inc.', gpuRenderer: 'Google SwiftShader', screen: { width: 360, height: 640, dpr: 2 }, flagged: true },
  { name: 'MuMu', model: 'MuMu', manufacturer: 'Netease', gpuVendor: 'NVIDIA Corporation', gpuRenderer: 'NVIDIA GeForce GTX 1660 SUPER/PCIe/SSE2', screen: { width: 360, height: 640, dpr: 3 }, flagged: false },
  { name: 'LDPlayer', model: 'SM-G9880', manufacturer: 'samsung', gpuVendor: 'NVIDIA Corporation', gpuRenderer: 'NVIDIA GeForce GTX 1060 6GB/PCIe/SSE2', screen: { width: 540, height: 960, dpr: 1.5 }, flagged: false },
  { name: 'Nox', model: 'SM-N976N', manufacturer: 'samsung', gpuVendor: 'Intel', gpuRenderer: 'Intel(R) UHD Graphics 630', screen: { width: 360, height: 720, dpr: 2 }, flagged: false },
];

/** OS version tracks, oldest first: a phone only ever moves to a later entry. */
export const ANDROID_VERSIONS = [
  { version: '12', build: 'SKQ1.220303.001' },
  { version: '13', build: 'TKQ1.221114.001' },
  { version: '13', build: 'TKQ1.230127.002' },
  { version: '14', build: 'UKQ1.230804.001' },
  { version: '14', build: 'UKQ1.231108.001' },
] as const;
export const IOS_VERSIONS = ['16.6.1', '16.7.5', '17.1.2', '17.2.1', '17.3', '17.3.1', '17.4'] as const;
export const CHROME_VERSIONS = ['118.0.5993.111', '119.0.6045.163', '120.0.6099.193', '121.0.6167.178', '122.0.6261.119', '123.0.6312.99'] as const;
export const SAFARI_VERSIONS = ['16.6', '17.1', '17.2', '17.3', '17.4'] as const;
export const APP_VERSIONS = ['7.2.0', '7.2.3', '7.3.1', '7.4.0'] as const;
export const WECHAT_VERSIONS = ['8.0.44.2502', '8.0.45.2521', '8.0.47.2560', '8.0.49.2600'] as const;

export const ANDROID_SENSORS = ['accelerometer', 'gyroscope', 'magnetometer', 'light', 'proximity', 'gravity', 'step_counter'];
export const IOS_SENSORS = ['accelerometer', 'gyroscope', 'magnetometer', 'barometer', 'proximity'];
