// Renders assets/butterfly.svg into the PNG sizes electron-builder and Linux desktops use, plus .ico and .icns.
// Run with `npm run icons` after changing the SVG; the outputs are committed so packaging needs no tools.
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const assets = join(import.meta.dirname, '..', 'assets');
const svg = readFileSync(join(assets, 'butterfly.svg'), 'utf8');
const render = (size: number) => new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render().asPng();

export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

mkdirSync(join(assets, 'icons'), { recursive: true });
for (const size of ICON_SIZES) writeFileSync(join(assets, 'icons', `${size}x${size}.png`), render(size));
const master = render(1024);
writeFileSync(join(assets, 'icon.png'), master);
writeFileSync(join(assets, 'icon.ico'), png2icons.createICO(master, png2icons.BICUBIC2, 0, false, true)!);
writeFileSync(join(assets, 'icon.icns'), png2icons.createICNS(master, png2icons.BICUBIC2, 0)!);
console.log(`icons written to ${assets}`);
