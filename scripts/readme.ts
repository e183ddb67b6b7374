/**
 * The README's example outputs are now rendered with every other generated
 * doc block by scripts/docs.ts; this name stays so that older instructions
 * (`node --import tsx scripts/readme.ts --write`) keep working.
 */
await import('./docs.ts');
