/** A span of time in words, to the largest sensible unit: `45 s`, `5 min`, `2 h 30 min`, `3 d`. */
export function duration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  if (seconds < 120) return `${String(seconds)} s`
  const minutes = Math.round(seconds / 60)
  if (minutes < 120) return `${String(minutes)} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 48)
    return minutes % 60 === 0
      ? `${String(hours)} h`
      : `${String(hours)} h ${String(minutes % 60)} min`
  return `${String(Math.round(hours / 24))} d`
}
