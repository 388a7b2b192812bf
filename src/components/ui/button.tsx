import type { ButtonHTMLAttributes } from 'react';
import { GuxButtonSlot } from 'genesys-spark-components-react';

type Accent = 'primary' | 'secondary' | 'tertiary' | 'danger' | 'ghost';

/**
 * A real <button> in Spark's look. `gux-button` renders its button in shadow DOM, where it cannot
 * submit a light-DOM form; `gux-button-slot` styles a native button we own (forms, focus, labels work).
 */
export function Button({ accent = 'secondary', type = 'button', ...rest }: ButtonHTMLAttributes<HTMLButtonElement> & { accent?: Accent }) {
  return (
    <GuxButtonSlot accent={accent}>
      <button type={type} {...rest} />
    </GuxButtonSlot>
  );
}
