/**
 * The most common passwords of at least 12 characters (from the public breach-frequency lists, e.g.
 * SecLists' 10-million list), lower-cased. Shorter ones are refused by the length rule already.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '111111111111', '000000000000',
  '123123123123', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'qwertyuiopas', 'qwertyuiop123', 'qwerty123456',
  'qwertyqwerty', 'asdfghjkl123', 'zxcvbnm12345', 'password1234', 'password12345', 'password123456',
  'passwordpassword', 'password123!', 'password1234!', 'p@ssw0rd1234', 'p@ssword1234', 'iloveyou1234',
  'abcdefghijkl', 'abc123456789', 'abcd12345678', 'letmein12345', 'welcome12345', 'welcome123456',
  'administrator', 'administrator1', 'admin1234567', 'admin123456789', 'changeme1234', 'changeme123!',
  'superman1234', 'football1234', 'baseball1234', 'sunshine1234', 'princess1234', 'dragon123456',
  'monkey123456', 'trustno11234', 'starwars1234', 'whatever1234', 'masterkey123', 'qazwsxedcrfv',
  '1qazxsw23edc', 'zaq12wsxcde3', 'q1w2e3r4t5y6', 'a1b2c3d4e5f6', '147258369147', '987654321098',
  '0987654321qw', 'mypassword12', 'mypassword123', 'secretpassword', 'correcthorsebatterystaple',
  'passw0rd1234', 'test12345678', 'testtesttest', 'summer2024!!', 'winter2024!!', 'spring2024!!',
  'autumn2024!!', 'company12345', 'welcome2024!', 'welcome2025!', 'welcome2026!', 'password2024',
  'password2025', 'password2026', 'letmeinplease', 'iloveyouforever', 'qwerty123456789',
]);
