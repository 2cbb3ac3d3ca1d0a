import type { ButtonHTMLAttributes } from 'react';
import styles from './button.module.css';

export type ButtonVariant = 'default' | 'primary' | 'danger' | 'dangerSolid' | 'ghost';

/** Class names of a button-styled element (buttons, and links that act as buttons). */
export function buttonClass(variant: ButtonVariant = 'default', size: 'normal' | 'small' = 'normal'): string {
  return [styles.button, variant !== 'default' && styles[variant], size === 'small' && styles.small].filter(Boolean).join(' ');
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'normal' | 'small';
}

/** A button; `type="button"` unless told otherwise, so it never submits a form by accident. */
export function Button({ variant = 'default', size = 'normal', className, type = 'button', ...props }: ButtonProps) {
  return <button type={type} className={[buttonClass(variant, size), className].filter(Boolean).join(' ')} {...props} />;
}
