import { pushDemoImages, type DemoImageSpec } from './demo-image';
import { TEST_REGISTRY_HOST, TEST_REGISTRY_URL } from './oci-push';

/** The README tour's images: two healthy versions and one whose health path fails. */
const TOUR: Readonly<Record<string, DemoImageSpec>> = {
  v1: { variant: 'ok', label: 'v1' },
  v2: { variant: 'ok', label: 'v2' },
  bad: { variant: 'unhealthy', label: 'bad' },
};

/** `scripts/demo-images.sh`: pushes `demo:v1`, `demo:v2` and `demo:bad` to the local registry and prints them. */
async function main(): Promise<void> {
  const pushed = await pushDemoImages('demo', TOUR, { url: TEST_REGISTRY_URL, host: TEST_REGISTRY_HOST });
  for (const [tag, image] of Object.entries(pushed)) {
    process.stdout.write(`${image.reference}  ${TOUR[tag]!.variant}  ${image.digest}\n`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
