// Ant Design theme of the console: government blue, compact radii, Chinese-friendly font stack.
import type { ThemeConfig } from 'antd';

export const BRAND_BLUE = '#1557b0';
export const HEADER_BACKGROUND = 'linear-gradient(90deg, #0d3b7a 0%, #1557b0 100%)';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: BRAND_BLUE,
    colorLink: BRAND_BLUE,
    borderRadius: 4,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'Helvetica Neue', Arial, sans-serif",
  },
  components: {
    Layout: {
      headerBg: '#0d3b7a',
      headerHeight: 56,
      headerPadding: '0 20px',
      siderBg: '#ffffff',
      bodyBg: '#f0f2f5',
    },
    Menu: {
      darkItemBg: 'transparent',
      darkPopupBg: '#0d3b7a',
      darkItemSelectedBg: 'rgba(255, 255, 255, 0.18)',
      darkItemColor: 'rgba(255, 255, 255, 0.82)',
      darkItemHoverColor: '#ffffff',
    },
  },
};
